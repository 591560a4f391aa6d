/**
 * The few strings the main process shows itself (menu, native dialogs), in the same languages as
 * the renderer's catalogs (renderer/src/i18n). Chosen from the settings' language, else the OS.
 */
const en = {
  file: '&File',
  openFiles: 'Open Files to Sign…',
  settings: 'Settings',
  token: '&Token',
  changePin: 'Change PIN…',
  help: '&Help',
  exportDiagnostics: 'Export Diagnostics…',
  about: 'About Signet',
  allFiles: 'All files',
  pdf: 'PDF documents',
  text: 'Text',
  nssMessage: 'Use your cards in portal windows?',
  nssDetail: 'To log in to websites with your card, Signet registers its card drivers ({modules}) in your browser certificate database ({db}). You can remove them later.',
  nssYes: 'Let the portal window use my cards',
  nssNo: 'Not now',
  portalMenu: '&Portal',
  switchIdentity: 'Switch Identity (Choose the Certificate Again)',
  closeWindow: 'Close Window',
  startFailedTitle: 'Signet cannot start',
  startFailed: 'Signet could not start because of an unexpected problem:\n{message}',
  policyInvalid: 'The administrator’s policy file is invalid, so Signet will not run without its rules. Ask your administrator to fix it.\n\n{file}\n{message}',
  logDirUnwritable: 'Signet cannot write its log folder, and it does not run without a record of what it does. Check that the folder can be created and written:\n\n{dir}\n{message}',
  noSandbox: 'Signet was started without Chromium’s sandbox (--no-sandbox), and it does not run that way: it handles your card’s PIN and your signatures.',
  logAt: 'Log: {file}',
  noLog: 'No log could be written (log folder: {dir}).',
  runtimeErrorTitle: 'Signet ran into a problem',
  runtimeError: 'Something went wrong inside Signet:\n{message}\n\nIf something no longer works, quit Signet and start it again.',
};

export type MainStrings = typeof en;

const fr: MainStrings = {
  file: '&Fichier',
  openFiles: 'Ouvrir des fichiers à signer…',
  settings: 'Réglages',
  token: '&Jeton',
  changePin: 'Changer le PIN…',
  help: '&Aide',
  exportDiagnostics: 'Exporter le diagnostic…',
  about: 'À propos de Signet',
  allFiles: 'Tous les fichiers',
  pdf: 'Documents PDF',
  text: 'Texte',
  nssMessage: 'Utiliser vos cartes dans les fenêtres de portail ?',
  nssDetail: 'Pour vous connecter à des sites avec votre carte, Signet enregistre ses pilotes de carte ({modules}) dans la base de certificats de votre navigateur ({db}). Vous pourrez les retirer plus tard.',
  nssYes: 'Autoriser la fenêtre de portail à utiliser mes cartes',
  nssNo: 'Pas maintenant',
  portalMenu: '&Portail',
  switchIdentity: 'Changer d’identité (choisir à nouveau le certificat)',
  closeWindow: 'Fermer la fenêtre',
  startFailedTitle: 'Signet ne peut pas démarrer',
  startFailed: 'Signet n’a pas pu démarrer à cause d’un problème inattendu :\n{message}',
  policyInvalid: 'Le fichier de règles de l’administrateur n’est pas valide : Signet ne fonctionnera pas sans ses règles. Demandez à votre administrateur de le corriger.\n\n{file}\n{message}',
  logDirUnwritable: 'Signet ne peut pas écrire dans son dossier de journal, et il ne fonctionne pas sans garder trace de ce qu’il fait. Vérifiez que ce dossier peut être créé et écrit :\n\n{dir}\n{message}',
  noSandbox: 'Signet a été lancé sans le bac à sable de Chromium (--no-sandbox) et ne fonctionne pas ainsi : il traite le PIN de votre carte et vos signatures.',
  logAt: 'Journal : {file}',
  noLog: 'Aucun journal n’a pu être écrit (dossier du journal : {dir}).',
  runtimeErrorTitle: 'Signet a rencontré un problème',
  runtimeError: 'Une erreur s’est produite dans Signet :\n{message}\n\nSi quelque chose ne fonctionne plus, quittez Signet et relancez-le.',
};

const CATALOGS: Record<string, MainStrings> = { en, fr };

export function mainStrings(language: string, osLocale: string): MainStrings {
  const lang = language !== 'system' && CATALOGS[language] ? language : (osLocale.toLowerCase().split('-')[0] ?? 'en');
  return CATALOGS[lang] ?? en;
}

export function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);
}
