/** Chinese and English names of the resource register's kinds and lettings (the console and /books). */
export const RESOURCE_KIND: Record<string, [string, string]> = {
  cultivated: ['耕地', 'Cultivated land'],
  garden: ['园地', 'Orchard'],
  forest: ['林地', 'Forest'],
  grassland: ['草地', 'Grassland'],
  water: ['水面', 'Water surface'],
  construction: ['建设用地', 'Construction land'],
  wasteland: ['四荒地', 'Waste land'],
  other: ['其他', 'Other'],
};

export const LET_HOW: Record<string, [string, string]> = {
  contracted: ['承包', 'Contracted'],
  leased: ['租赁', 'Leased'],
  shareholding: ['入股', 'As shares'],
  self_operated: ['自营', 'Run by the village'],
  unlet: ['未发包', 'Not let'],
};

export const FREQUENCY: Record<string, [string, string]> = {
  year: ['按年', 'Yearly'],
  half_year: ['按半年', 'Half-yearly'],
  quarter: ['按季度', 'Quarterly'],
  custom: ['自定', 'Custom'],
};

export const CONTRACT_STATE: Record<string, [string, string, string]> = {
  active: ['履行中', 'Active', 'green'],
  ended: ['已到期', 'Ended', 'default'],
  terminated: ['已解除', 'Terminated', 'red'],
};
