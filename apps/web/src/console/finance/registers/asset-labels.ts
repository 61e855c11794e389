/** Chinese and English names of the asset register's categories, states and ways acquired (console and /books). */
export const ASSET_CATEGORY: Record<string, [string, string]> = {
  building: ['房屋', 'Building'],
  structure: ['构筑物', 'Structure'],
  machinery: ['机械设备', 'Machinery'],
  vehicle: ['车辆', 'Vehicle'],
  equipment: ['办公及电子设备', 'Equipment'],
  furniture: ['家具', 'Furniture'],
  infrastructure: ['基础设施', 'Infrastructure'],
  other: ['其他', 'Other'],
};

export const ASSET_STATE: Record<string, [string, string, string]> = {
  in_use: ['在用', 'In use', 'green'],
  idle: ['闲置', 'Idle', 'orange'],
  let: ['出租', 'Let', 'blue'],
  disposed: ['已处置', 'Disposed', 'default'],
};

export const ACQUIRED_HOW: Record<string, [string, string]> = {
  purchase: ['购置', 'Bought'],
  construction: ['自建', 'Built'],
  donation: ['捐赠', 'Donated'],
  allocation: ['上级拨付', 'Allocated'],
  other: ['其他', 'Other'],
};
