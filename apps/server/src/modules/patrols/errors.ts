import { AppError, errors } from '../../errors.ts';

/** The patrols module's own refusals, in Chinese and English. */
export const patrolErrors = {
  patrolNotFound: () => errors.notFound({ zh: '巡查记录', en: 'Patrol' }),
  planNotFound: () => errors.notFound({ zh: '巡查计划', en: 'Patrol plan' }),
  unknownGrid: (gridId: string) =>
    errors.unprocessable(
      'unknown_grid',
      { zh: '所选网格不存在或已停用', en: 'That grid does not exist or is no longer in use' },
      { gridId },
    ),
  notGridWorker: () =>
    new AppError(403, 'not_grid_worker', {
      zh: '只有本网格的网格员可以巡查该网格',
      en: 'Only a grid worker of the grid may patrol it',
    }),
  gridRequired: (grids: { id: string; name: string }[]) =>
    errors.unprocessable(
      'grid_required',
      grids.length === 0
        ? { zh: '您没有负责的网格，无法开始巡查', en: 'You serve no grid, so you cannot start a patrol' }
        : {
            zh: '您负责多个网格，请选择要巡查的网格',
            en: 'You serve several grids; choose the one to patrol',
          },
      { grids },
    ),
  timeOutOfRange: (field: string) =>
    errors.unprocessable(
      'time_out_of_range',
      {
        zh: '时间不对：不能晚于现在，也不能早于 7 天前，请检查手机时间',
        en: "The time is off: not in the future, not more than 7 days ago. Check the phone's clock",
      },
      { field },
    ),
  outsidePatrol: () =>
    errors.unprocessable('outside_patrol_time', {
      zh: '该时间不在这次巡查的起止时间内',
      en: 'That time is outside this patrol',
    }),
  patrolEnded: () =>
    errors.conflict(
      'patrol_ended',
      { zh: '这次巡查已经结束', en: 'This patrol has already ended' },
      { currentState: 'ended' },
    ),
  idempotencyKeyReused: () =>
    errors.unprocessable('idempotency_key_reused', {
      zh: '该 Idempotency-Key 已用于另一份内容不同的请求',
      en: 'This Idempotency-Key was already used for a different request',
    }),
  idReused: () =>
    errors.conflict('id_reused', {
      zh: '该编号已被另一条记录使用，请重新提交',
      en: 'This id is already used by another record; send it again with a new id',
    }),
  unknownUnit: (unitId: string) =>
    errors.unprocessable(
      'unknown_unit',
      { zh: '所选楼栋或地点不在本街道范围内', en: 'The chosen building or place is not in this street' },
      { unitId },
    ),
  planInPast: () =>
    errors.unprocessable('plan_in_past', {
      zh: '计划只能从今天或以后开始，过去的巡查率不能改变',
      en: 'A plan can only start today or later: past patrol rates do not change',
    }),
  planAlreadyEnded: () =>
    errors.conflict('plan_ended', {
      zh: '该计划在这一天之前已经结束',
      en: 'The plan already ends before that day',
    }),
};
