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
  policyInvalidTitle: 'Signet cannot start',
  policyInvalid: 'The administrator’s policy file is invalid, so Signet will not run without its rules. Ask your administrator to fix it.\n\n{file}\n{message}',
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
  policyInvalidTitle: 'Signet ne peut pas démarrer',
  policyInvalid: 'Le fichier de règles de l’administrateur n’est pas valide : Signet ne fonctionnera pas sans ses règles. Demandez à votre administrateur de le corriger.\n\n{file}\n{message}',
};

const CATALOGS: Record<string, MainStrings> = { en, fr };

export function mainStrings(language: string, osLocale: string): MainStrings {
  const lang = language !== 'system' && CATALOGS[language] ? language : (osLocale.toLowerCase().split('-')[0] ?? 'en');
  return CATALOGS[lang] ?? en;
}

export function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);
}
