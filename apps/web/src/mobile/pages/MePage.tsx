import { Button, Dialog, List, Selector } from 'antd-mobile';
import { PageBar } from '../components/PageBar.tsx';
import { useLanguage, useT } from '../../shared/i18n.ts';
import { OutboxList, useOutbox } from '../components/OutboxList.tsx';
import { goBack, navigate } from '../router.ts';
import { isStaff, signOut, useSession } from '../session.ts';

/** /m/me — who is signed in, the language, what waits to be sent, signing out. */
export default function MePage() {
  const t = useT();
  const [language, setLanguage] = useLanguage();
  const { me } = useSession();
  const waiting = useOutbox();

  async function leave() {
    if (waiting.length > 0) {
      const ok = await Dialog.confirm({
        content: t(
          `还有 ${waiting.length} 条记录等待发送，退出后将在下次登录时继续发送。确定退出吗？`,
          `${waiting.length} item(s) wait to be sent; they go after the next sign-in. Sign out?`,
        ),
        confirmText: t('退出', 'Sign out'),
        cancelText: t('取消', 'Cancel'),
      });
      if (!ok) return;
    }
    await signOut();
    navigate('/m/home', { replace: true });
  }

  return (
    <div className="m-scroll">
      <PageBar onBack={() => goBack()}>{t('我的', 'Me')}</PageBar>
      {me ? (
        <List header={t('账号', 'Account')}>
          <List.Item extra={me.displayName}>{t('姓名', 'Name')}</List.Item>
          {me.phone && <List.Item extra={me.phone}>{t('手机号', 'Mobile')}</List.Item>}
          {me.homeUnit && <List.Item extra={me.homeUnit.name}>{t('所在社区', 'Community')}</List.Item>}
          {me.roles
            .filter((role) => role.role !== 'resident')
            .map((role) => (
              <List.Item key={role.id} extra={role.unit.name}>
                {language === 'zh' ? role.roleName.zh : role.roleName.en}
              </List.Item>
            ))}
          {!isStaff(me) && (
            <List.Item arrowIcon onClick={() => navigate('/m/mine')}>
              {t('我的上报', 'My reports')}
            </List.Item>
          )}
          <List.Item arrowIcon onClick={() => navigate('/m/notifications')}>
            {t('消息通知', 'Notifications')}
          </List.Item>
        </List>
      ) : (
        <div className="m-actions">
          <Button block color="primary" onClick={() => navigate('/m/login')}>
            {t('登录', 'Sign in')}
          </Button>
        </div>
      )}
      <List header={t('语言 Language', 'Language 语言')}>
        <List.Item>
          <Selector
            options={[
              { value: 'zh', label: '简体中文' },
              { value: 'en', label: 'English' },
            ]}
            value={[language]}
            onChange={(value) => value[0] && setLanguage(value[0] as 'zh')}
          />
        </List.Item>
      </List>
      <OutboxList />
      {me && (
        <div className="m-actions">
          <Button block color="danger" fill="outline" onClick={() => void leave()}>
            {t('退出登录', 'Sign out')}
          </Button>
        </div>
      )}
    </div>
  );
}
