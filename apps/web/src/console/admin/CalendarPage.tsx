import type { CalendarDay, CalendarYear, CalendarYears } from '@minqing/contract';
import {
  Alert,
  App,
  Button,
  Calendar,
  Card,
  Form,
  Input,
  Radio,
  Select,
  Space,
  Tag,
  Typography,
  Upload,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, ApiError } from '../../shared/api.ts';
import { pick, useLanguage, useT } from '../../shared/i18n.ts';
import { FormDialog } from '../common/FormDialog.tsx';
import { useRequest } from '../shell/use-request.ts';

/** The working calendar per year: holidays and make-up working days, edited by hand or imported. */
export default function CalendarPage() {
  const t = useT();
  const [language] = useLanguage();
  const { message } = App.useApp();
  const years = useRequest(() => api.get<CalendarYears>('/api/calendar'), 'calendar-years');
  const [year, setYear] = useState(dayjs().year());
  const detail = useRequest(() => api.get<CalendarYear>(`/api/calendar/${year}`), `calendar:${year}`);
  const [month, setMonth] = useState(dayjs().month());
  const [editing, setEditing] = useState<Dayjs>();
  const [importError, setImportError] = useState<ApiError | string>();
  const days = new Map((detail.data?.days ?? []).map((d) => [d.day, d]));
  const canEdit = detail.data?.allowedActions.includes('set_day');

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
        {t('工作日历', 'Working calendar')}
      </Typography.Title>
      <Card
        size="small"
        title={
          <Space>
            <Select
              aria-label={t('年份', 'Year')}
              value={year}
              onChange={setYear}
              options={[
                ...new Set([
                  ...(years.data?.years ?? []).map((y) => y.year),
                  dayjs().year(),
                  dayjs().year() + 1,
                ]),
              ]
                .sort()
                .map((y) => ({ value: y, label: String(y) }))}
              style={{ width: 100 }}
            />
            {detail.data && (
              <Tag
                color={
                  detail.data.status === 'official'
                    ? 'green'
                    : detail.data.status === 'provisional'
                      ? 'orange'
                      : 'red'
                }
              >
                {detail.data.status === 'official'
                  ? t('国务院正式安排', 'Official')
                  : detail.data.status === 'provisional'
                    ? t('暂定（待正式通知）', 'Provisional')
                    : t('缺少安排', 'Missing')}
              </Tag>
            )}
            {detail.data && (
              <Typography.Text type="secondary">
                {t(
                  `放假 ${detail.data.daysOff} 天，调休上班 ${detail.data.makeUpWorkdays} 天`,
                  `${detail.data.daysOff} days off, ${detail.data.makeUpWorkdays} make-up days`,
                )}
              </Typography.Text>
            )}
          </Space>
        }
        extra={
          detail.data?.allowedActions.includes('import') && (
            <Upload
              accept=".json,application/json"
              showUploadList={false}
              beforeUpload={async (file) => {
                setImportError(undefined);
                try {
                  const body = JSON.parse(await file.text()) as unknown;
                  const result = await api.post<{ year: number; daysOff: number }>(
                    '/api/calendar/import',
                    body,
                  );
                  message.success(t(`已导入 ${result.year} 年安排`, `Imported ${result.year}`));
                  setYear(result.year);
                  await Promise.all([years.reload(), detail.reload()]);
                } catch (caught) {
                  setImportError(
                    caught instanceof SyntaxError
                      ? t('文件不是有效的 JSON', 'Not valid JSON')
                      : (caught as ApiError),
                  );
                }
                return false;
              }}
            >
              <Button>{t('导入年度安排（JSON）', 'Import a year (JSON)')}</Button>
            </Upload>
          )
        }
      >
        {importError && (
          <Alert
            type="error"
            showIcon
            title={typeof importError === 'string' ? importError : importError.text()}
            style={{ marginBottom: 12 }}
          />
        )}
        {detail.data?.source && (
          <Typography.Paragraph type="secondary">
            {t('依据：', 'Source: ')}
            {detail.data.source}
          </Typography.Paragraph>
        )}
        <Calendar
          value={dayjs(`${year}-01-01`).month(month)}
          validRange={[dayjs(`${year}-01-01`), dayjs(`${year}-12-31`)]}
          onPanelChange={(date) => setMonth(date.month())}
          // The year is chosen above; the header browses the months, with labelled controls.
          headerRender={({ value, onChange }) => (
            <Space style={{ width: '100%', justifyContent: 'flex-end', padding: '8px 0' }}>
              <Button
                aria-label={t('上个月', 'Previous month')}
                disabled={value.month() === 0}
                onClick={() => onChange(value.subtract(1, 'month'))}
              >
                ‹
              </Button>
              <Select
                aria-label={t('月份', 'Month')}
                value={value.month()}
                onChange={(m: number) => onChange(value.month(m))}
                options={Array.from({ length: 12 }, (_, m) => ({
                  value: m,
                  label: language === 'zh' ? `${m + 1}月` : dayjs().month(m).format('MMMM'),
                }))}
                style={{ width: 120 }}
              />
              <Button
                aria-label={t('下个月', 'Next month')}
                disabled={value.month() === 11}
                onClick={() => onChange(value.add(1, 'month'))}
              >
                ›
              </Button>
            </Space>
          )}
          onSelect={(date, info) => {
            if (info.source === 'date' && canEdit) setEditing(date);
          }}
          cellRender={(date, info) => {
            if (info.type !== 'date') return info.originNode;
            const day: CalendarDay | undefined = days.get(date.format('YYYY-MM-DD'));
            if (!day) return null;
            return (
              <Tag
                color={day.isWorkday ? 'blue' : 'red'}
              >{`${day.isWorkday ? t('班', 'work') : t('休', 'off')} ${pick(day.name, language)}`}</Tag>
            );
          }}
        />
      </Card>
      {editing && (
        <FormDialog<{ kind: 'off' | 'work' | 'reset'; nameZh?: string; nameEn?: string }>
          title={editing.format('YYYY-MM-DD')}
          okText={t('保存', 'Save')}
          initialValues={(() => {
            const day = days.get(editing.format('YYYY-MM-DD'));
            return day
              ? { kind: day.isWorkday ? 'work' : 'off', nameZh: day.name.zh, nameEn: day.name.en }
              : { kind: 'off' };
          })()}
          onClose={async (changed) => {
            setEditing(undefined);
            if (changed) await detail.reload();
          }}
          onSubmit={async (values) => {
            const day = editing.format('YYYY-MM-DD');
            if (values.kind === 'reset') await api.delete(`/api/calendar/days/${day}`);
            else
              await api.put(`/api/calendar/days/${day}`, {
                isWorkday: values.kind === 'work',
                nameZh: values.nameZh?.trim(),
                nameEn: values.nameEn?.trim(),
              });
          }}
        >
          {(form) => (
            <>
              <Form.Item name="kind" label={t('这一天', 'This day')}>
                <Radio.Group
                  options={[
                    { value: 'off', label: t('放假', 'Day off') },
                    { value: 'work', label: t('调休上班', 'Make-up working day') },
                    ...(days.has(editing.format('YYYY-MM-DD'))
                      ? [{ value: 'reset', label: t('恢复按星期', 'Back to the weekday rule') }]
                      : []),
                  ]}
                  onChange={() => void form.validateFields()}
                />
              </Form.Item>
              <Form.Item noStyle shouldUpdate>
                {() =>
                  form.getFieldValue('kind') !== 'reset' && (
                    <>
                      <Form.Item
                        name="nameZh"
                        label={t('中文名称', 'Chinese name')}
                        rules={[{ required: true, whitespace: true }, { max: 40 }]}
                      >
                        <Input placeholder="国庆节" />
                      </Form.Item>
                      <Form.Item
                        name="nameEn"
                        label={t('英文名称', 'English name')}
                        rules={[{ required: true, whitespace: true }, { max: 80 }]}
                      >
                        <Input placeholder="National Day" />
                      </Form.Item>
                    </>
                  )
                }
              </Form.Item>
            </>
          )}
        </FormDialog>
      )}
    </Space>
  );
}
