import { errors } from '../../errors.ts';

export const noticeErrors = {
  unitKind: () =>
    errors.unprocessable('notice_unit_kind', {
      zh: '公告只能发给街道（乡镇）、社区（村）或网格',
      en: 'A notice is for a street, a community/village or a grid',
    }),
  unitInactive: () =>
    errors.unprocessable('notice_unit_inactive', {
      zh: '该区域已停用，不能发布公告',
      en: 'This area is no longer active; notices cannot be written for it',
    }),
  expiryPassed: () =>
    errors.unprocessable('notice_expiry_passed', {
      zh: '截止时间已过，请改为将来的时间或不设截止',
      en: 'The expiry is in the past; choose a later time or none',
    }),
  notEditable: (state: string, allowedActions: string[]) =>
    errors.conflict(
      'notice_not_editable',
      { zh: '已撤回的公告不能再修改', en: 'A withdrawn notice cannot be edited' },
      { currentState: state, allowedActions },
    ),
  illegalTransition: (action: string, state: string, allowedActions: string[]) =>
    errors.conflict(
      'illegal_transition',
      {
        zh: action === 'publish' ? '只有草稿可以发布' : '只有已发布的公告可以撤回',
        en:
          action === 'publish' ? 'Only a draft can be published' : 'Only a published notice can be withdrawn',
      },
      { currentState: state, allowedActions },
    ),
};
