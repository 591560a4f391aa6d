/**
 * The app shell: header with navigation, the live token panel beside the current page, and the
 * modals that can interrupt anything (PIN first, then web consent).
 */
import { useCallback, useEffect, useState } from 'react';
import type { AppInfo, ErrorInfo, FileRef, MenuCommand, Settings, TokenInfo } from '../../electron/api';
import { CertificateDetailsDialog } from './components/CertificateDetailsDialog';
import { CertificatePicker } from './components/CertificatePicker';
import { ChangePinDialog } from './components/ChangePinDialog';
import { ConsentModal } from './components/ConsentModal';
import { HelpPage } from './components/HelpPage';
import { HistoryPage } from './components/history/HistoryPage';
import { PinDialog } from './components/PinDialog';
import { PortalLauncher } from './components/PortalLauncher';
import { SettingsPage } from './components/SettingsPage';
import { SignFlow } from './components/SignFlow';
import { TokenPanel } from './components/TokenPanel';
import { VerifyPage } from './components/verify/VerifyPage';
import { ErrorNotice } from './components/ErrorNotice';
import { useConsentRequests, usePinRequests, useTokens, useUnlockedTokens } from './hooks/useSignet';
import { I18nProvider, resolveLanguage, useI18n } from './i18n';
import { getApi } from './lib/api';

type Page = 'sign' | 'verify' | 'history' | 'certificates' | 'settings' | 'help';
const PAGES: Page[] = ['sign', 'verify', 'history', 'certificates', 'settings', 'help'];

export function App() {
  const [settings, setSettings] = useState<Settings | null>(null);
  useEffect(() => {
    const api = getApi();
    const off = api.on('settings.changed', setSettings);
    void api.call('settings.get').then((r) => r.ok && setSettings(r.value));
    return off;
  }, []);
  const lang = resolveLanguage(settings?.language, navigator.languages ?? [navigator.language]);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  return (
    <I18nProvider lang={lang}>
      <Shell settings={settings} setSettings={setSettings} />
    </I18nProvider>
  );
}

function Shell({ settings, setSettings }: { settings: Settings | null; setSettings(s: Settings): void }) {
  const { t } = useI18n();
  const api = getApi();
  const { snapshot, loading, refresh } = useTokens();
  const { unlocked, lockNow } = useUnlockedTokens();
  const pins = usePinRequests();
  const consents = useConsentRequests();
  const [page, setPage] = useState<Page>('sign');
  const [detailsUri, setDetailsUri] = useState<string | null>(null);
  const [changePinFor, setChangePinFor] = useState<TokenInfo | null>(null);
  const [pinChanged, setPinChanged] = useState<string | null>(null);
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [incoming, setIncoming] = useState<FileRef[]>([]);
  const [incomingVerify, setIncomingVerify] = useState<FileRef[]>([]);
  const [openedRejected, setOpenedRejected] = useState<{ name: string; error: ErrorInfo }[]>([]);
  const [pickRequest, setPickRequest] = useState(0);
  const [exportRequest, setExportRequest] = useState(0);

  useEffect(() => {
    void api.call('app.info').then((r) => r.ok && setInfo(r.value));
    const offFiles = api.on('files.opened', (refs) => {
      setIncoming((prev) => [...prev, ...refs]);
      setPage('sign');
    });
    // A signed file from outside (.p7s, a PDF with signatures) opens the verify view (issue 12 §4).
    const offVerify = api.on('verify.opened', (ref) => {
      setIncomingVerify((prev) => [...prev, ref]);
      setPage('verify');
    });
    const offRejected = api.on('files.rejected', setOpenedRejected);
    const offMenu = api.on('menu.command', ({ command }) => handleMenu(command));
    return () => {
      offFiles();
      offVerify();
      offRejected();
      offMenu();
    };
    // handleMenu only sets state
  }, [api]);

  const handleMenu = (command: MenuCommand): void => {
    switch (command) {
      case 'open-files':
        setPage('sign');
        setPickRequest((n) => n + 1);
        break;
      case 'settings':
        setPage('settings');
        break;
      case 'about':
        setPage('help');
        break;
      case 'export-diagnostics':
        setPage('help');
        setExportRequest((n) => n + 1);
        break;
      case 'change-pin':
        setChangePinFor((snapshotRef.current?.tokens.find((tk) => tk.flags.tokenInitialized) ?? null) as TokenInfo | null);
        break;
    }
  };
  const snapshotRef = useLatest(snapshot);
  // The "PIN changed" confirmation goes away by itself.
  useEffect(() => {
    if (!pinChanged) return;
    const timer = setTimeout(() => setPinChanged(null), 8000);
    return () => clearTimeout(timer);
  }, [pinChanged]);
  const consumeIncoming = useCallback(() => setIncoming([]), []);
  const consumeIncomingVerify = useCallback(() => setIncomingVerify([]), []);
  const signToo = useCallback((file: FileRef) => {
    setIncoming((prev) => [...prev, file]);
    setPage('sign');
  }, []);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">Signet</span>
        </div>
        <nav aria-label={t('nav.label')} className="nav">
          {PAGES.map((p) => (
            <button key={p} type="button" className={`nav-item${page === p ? ' is-active' : ''}`} aria-current={page === p ? 'page' : undefined} onClick={() => setPage(p)}>
              {t(`nav.${p}`)}
            </button>
          ))}
        </nav>
      </header>
      <div className="app-body">
        <aside className="sidebar" aria-label={t('tokens.title')}>
          <TokenPanel snapshot={snapshot} loading={loading} onRefresh={() => void refresh()} onChangePin={setChangePinFor} unlocked={unlocked} onLockNow={(uri) => void lockNow(uri)} />
          {pinChanged && (
            <p className="notice notice-success" role="status">
              {t('changePin.done', { label: pinChanged })}
            </p>
          )}
        </aside>
        <main id="main" className="content">
          {openedRejected.length > 0 && (
            <div className="page" data-testid="opened-rejected">
              {openedRejected.map((r, i) => (
                <ErrorNotice key={i} error={{ ...r.error, details: { ...r.error.details, name: r.name } }} compact title={t('files.notAdded', { name: r.name })} />
              ))}
              <button type="button" className="button button-small button-ghost" onClick={() => setOpenedRejected([])}>
                {t('files.dismissRejected')}
              </button>
            </div>
          )}
          <div hidden={page !== 'sign'}>
            <SignFlow
              snapshot={snapshot}
              tsaConfigured={Boolean(settings?.tsaUrl)}
              timestampByDefault={Boolean(settings?.timestampByDefault)}
              onDetails={setDetailsUri}
              incomingFiles={incoming}
              onIncomingConsumed={consumeIncoming}
              pickRequest={pickRequest}
            />
          </div>
          <div hidden={page !== 'verify'}>
            <VerifyPage incoming={incomingVerify} onIncomingConsumed={consumeIncomingVerify} onSign={signToo} />
          </div>
          {page === 'history' && <HistoryPage onOpenSettings={() => setPage('settings')} />}
          {page === 'certificates' && (
            <section className="page" aria-labelledby="certs-heading">
              <h1 id="certs-heading" className="page-title">
                {t('certs.title')}
              </h1>
              <p className="muted">{t('certs.lead')}</p>
              <CertificatePicker snapshot={snapshot} mode="browse" onDetails={setDetailsUri} label={t('certs.title')} />
              <PortalLauncher />
            </section>
          )}
          {page === 'settings' && <SettingsPage settings={settings} onChange={setSettings} />}
          {page === 'help' && <HelpPage info={info} exportRequest={exportRequest} />}
        </main>
      </div>

      {detailsUri && !pins.current && !consents.current && <CertificateDetailsDialog certUri={detailsUri} onClose={() => setDetailsUri(null)} />}
      {changePinFor && !pins.current && (
        <ChangePinDialog
          token={changePinFor}
          onClose={(done) => {
            if (done) setPinChanged(changePinFor.label);
            setChangePinFor(null);
          }}
        />
      )}
      {consents.current && !pins.current && <ConsentModal key={consents.current.requestId} request={consents.current} snapshot={snapshot} onDone={() => consents.remove(consents.current!.requestId)} />}
      {pins.current && (
        <PinDialog
          key={pins.current.requestId}
          request={pins.current}
          onSubmit={async (requestId, pin) => {
            // UTF-8 bytes over IPC (no string in main); this copy is wiped once it was sent.
            const bytes = new TextEncoder().encode(pin);
            let r;
            try {
              r = await api.call('pin.submit', { requestId, pin: bytes });
            } finally {
              bytes.fill(0);
            }
            if (r.ok) {
              pins.remove(requestId);
              return null;
            }
            if (r.error.code !== 'PIN_LEN_RANGE') pins.remove(requestId);
            return r.error;
          }}
          onCancel={(requestId) => {
            pins.remove(requestId);
            void api.call('pin.cancel', { requestId });
          }}
        />
      )}
    </div>
  );
}

function useLatest<T>(value: T): { current: T } {
  const [ref] = useState(() => ({ current: value }));
  ref.current = value;
  return ref;
}
