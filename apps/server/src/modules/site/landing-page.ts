import type { DemoStatus } from '../demo/plugin.ts';

export interface LandingLink {
  href: string;
  zh: string;
  en: string;
  descriptionZh: string;
  descriptionEn: string;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The short Chinese landing page at `/`: what minqing is, the parts that exist on this server, and — on a
 * demo instance — the demo logins. While the first start seeds the demo, it refreshes itself and shows progress.
 */
export function renderLandingPage(options: {
  language: 'zh' | 'en';
  links: LandingLink[];
  demo: DemoStatus;
  databaseKind: string;
}): string {
  const { language, links, demo } = options;
  const zh = language === 'zh';
  const t = (zhText: string, enText: string) => escape(zh ? zhText : enText);
  const seeding = demo.state === 'seeding';
  const linkItems = links
    .map(
      (link) =>
        `<li><a href="${escape(link.href)}">${t(link.zh, link.en)}</a><span>${t(link.descriptionZh, link.descriptionEn)}</span></li>`,
    )
    .join('\n');
  const demoSection = demo.info
    ? `<section aria-labelledby="demo-title">
  <h2 id="demo-title">${t('演示账号', 'Demo logins')}</h2>
  <p>${t(`工作人员密码均为 ${demo.info.password}。居民用手机号 ${demo.info.residentPhone} 登录，验证码打印在服务器日志中。`, `Staff password: ${demo.info.password}. Residents sign in with ${demo.info.residentPhone}; the one-time code is printed in the server log.`)}</p>
  <table><thead><tr><th scope="col">${t('角色', 'Role')}</th><th scope="col">${t('账号', 'Username')}</th><th scope="col">${t('所在单位', 'Unit')}</th></tr></thead>
  <tbody>${demo.info.logins.map((l) => `<tr><td>${escape(l.role)}</td><td><code>${escape(l.username)}</code></td><td>${escape(l.unit)}</td></tr>`).join('')}</tbody></table>
</section>`
    : '';
  const progress = seeding
    ? `<section aria-live="polite"><h2>${t('正在生成演示数据…', 'Seeding the demo community…')}</h2>
  <progress max="100" value="${Math.round(demo.fraction * 100)}" aria-label="${t('演示数据生成进度', 'Demo seeding progress')}"></progress>
  <p>${t('首次启动时生成附城镇新山村等演示社区，页面会自动刷新。', 'On first start minqing seeds the demo street; this page refreshes by itself.')}</p></section>`
    : demo.state === 'failed'
      ? `<section role="alert"><h2>${t('演示数据生成失败', 'Seeding the demo failed')}</h2><p>${t('请查看服务器日志。', 'See the server log.')}</p></section>`
      : '';
  return `<!doctype html>
<html lang="${zh ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${seeding ? '<meta http-equiv="refresh" content="2">' : ''}
<title>${t('民情 · 基层治理平台', 'minqing · grassroots governance')}</title>
<style>
  :root { color-scheme: light; font-family: system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; }
  body { margin: 0; background: #f5f6f8; color: #1f2329; }
  header { background: #b71c1c; color: #fff; padding: 24px 16px; }
  header h1 { margin: 0; font-size: 28px; }
  header p { margin: 8px 0 0; opacity: .95; }
  main { max-width: 880px; margin: 0 auto; padding: 16px; }
  section { background: #fff; border-radius: 8px; padding: 16px; margin: 16px 0; box-shadow: 0 1px 2px rgba(0,0,0,.06); }
  h2 { font-size: 20px; margin: 0 0 12px; }
  ul { list-style: none; padding: 0; margin: 0; }
  li { padding: 10px 0; border-bottom: 1px solid #eee; display: flex; flex-wrap: wrap; gap: 4px 16px; }
  li:last-child { border-bottom: 0; }
  li a { font-weight: 600; color: #0b57d0; min-width: 10em; }
  li span { color: #555; }
  table { border-collapse: collapse; width: 100%; font-size: 14px; }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #eee; }
  progress { width: 100%; height: 16px; }
  .lang { float: right; color: #fff; }
  footer { text-align: center; color: #666; font-size: 13px; padding: 24px; }
</style>
</head>
<body>
<header>
  <a class="lang" href="/?lang=${zh ? 'en' : 'zh'}">${zh ? 'English' : '中文'}</a>
  <h1>${t('民情 minqing', 'minqing 民情')}</h1>
  <p>${t('发现-上报-处置-回访：网格化管理、闭环处置、可追溯可核查的基层治理平台', 'Discover, report, handle, follow up: grid management and a closed, verifiable case loop for communities and villages')}</p>
</header>
<main>
${progress}
<section aria-labelledby="parts-title">
  <h2 id="parts-title">${t('本服务器上可用的功能', 'What this server offers')}</h2>
  <ul>
${linkItems}
  </ul>
</section>
${demoSection}
</main>
<footer>${t(`数据库：${options.databaseKind === 'pglite' ? '内置 PostgreSQL（PGlite）' : 'PostgreSQL 服务器'} · Apache-2.0 开源`, `Database: ${options.databaseKind === 'pglite' ? 'embedded PostgreSQL (PGlite)' : 'PostgreSQL server'} · open source, Apache-2.0`)}</footer>
</body>
</html>`;
}
