import type { PublicReportSettings } from '@minqing/contract';
import { Alert, Card, Descriptions, Space, Tag, Typography } from 'antd';
import { api } from '../../shared/api.ts';
import { useT } from '../../shared/i18n.ts';
import { useRequest } from '../shell/use-request.ts';

/**
 * 公众上报设置: how the public and residents may report here. These are the instance's configuration
 * (one value for the whole deployment, set by its operator), so the page shows what is in force and
 * where it is changed rather than offering switches (docs/decisions/0303).
 */
export default function PublicReportsPage() {
  const t = useT();
  const settings = useRequest(
    () => api.get<PublicReportSettings>('/api/console/settings/public-reports'),
    'settings:public-reports',
  );
  const s = settings.data;
  const per = (seconds: number) =>
    seconds % 3600 === 0
      ? t(`每 ${seconds / 3600} 小时`, `per ${seconds / 3600} h`)
      : t(`每 ${seconds / 60} 分钟`, `per ${seconds / 60} min`);
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
        {t('公众上报设置', 'Public reports')}
      </Typography.Title>
      {settings.error && <Alert type="error" showIcon title={settings.error.text()} />}
      <Card size="small" loading={!s && !settings.error}>
        {s && (
          <Descriptions bordered size="small" column={1} data-testid="public-report-settings">
            <Descriptions.Item label={t('未登录上报', 'Reports without signing in')}>
              {s.publicReports ? (
                <Tag color="green">{t('开启', 'On')}</Tag>
              ) : (
                <Tag color="red">{t('关闭', 'Off')}</Tag>
              )}
              {s.publicReports
                ? t(
                    '任何人可在手机上不登录直接上报问题（来源记为“公众”）。',
                    'Anyone may report from a phone without signing in (source: public).',
                  )
                : t('居民须先用手机号和验证码登录才能上报。', 'Residents sign in with a phone code first.')}
            </Descriptions.Item>
            <Descriptions.Item label={t('未登录上报须留手机号', 'Phone number required without sign-in')}>
              {s.contactRequired
                ? t(
                    '是：用于反馈处理结果和电话回访；号码加密保存、打码显示。',
                    'Yes: for the outcome and the follow-up call; stored encrypted, shown masked.',
                  )
                : t('否', 'No')}
            </Descriptions.Item>
            <Descriptions.Item label={t('上报频率限制', 'Rate limit on public writes')}>
              {t(
                `同一网络地址${per(s.publicWriteLimit.windowSeconds)}最多 ${s.publicWriteLimit.max} 次（上报、评价等）；已登录居民不受此限。`,
                `${s.publicWriteLimit.max} ${per(s.publicWriteLimit.windowSeconds)} from one network address (reports, ratings); signed-in residents are exempt.`,
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('验证码发送限制', 'Sign-in code limit')}>
              {t(
                `同一网络地址${per(s.smsCodeLimit.windowSeconds)}最多 ${s.smsCodeLimit.max} 条。`,
                `${s.smsCodeLimit.max} ${per(s.smsCodeLimit.windowSeconds)} from one network address.`,
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('居民登录有效期', 'Residents stay signed in')}>
              {t(`${s.residentSessionDays} 天`, `${s.residentSessionDays} days`)}
            </Descriptions.Item>
          </Descriptions>
        )}
      </Card>
      {s && (
        <Alert
          type="info"
          showIcon
          title={t('如何修改', 'How to change them')}
          description={t(
            `这些设置对本平台的所有街道、社区统一生效，由系统运维人员通过环境变量 ${s.configuredBy.join('、')} 设置并重启服务后生效。`,
            `These settings apply to every street and community of this instance; the operator sets them with the environment variables ${s.configuredBy.join(', ')} and restarts the service.`,
          )}
        />
      )}
    </Space>
  );
}
