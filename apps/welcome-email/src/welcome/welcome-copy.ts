import { SupportedLocale } from './locale';

/** The words of the welcome mail in one language; the templates supply markup and links. */
export interface WelcomeCopy {
  subject(product: string): string;
  /** `{name}` is replaced by the display name, escaped for the HTML part. */
  readonly greeting: string;
  intro(product: string): string;
  readonly cta: string;
  readonly gettingStarted: string;
  readonly settings: string;
  readonly notYou: string;
  signoff(product: string): string;
}

export const WELCOME_COPY: Readonly<Record<SupportedLocale, WelcomeCopy>> = {
  en: {
    subject: (p) => `Welcome to ${p}`,
    greeting: 'Hi {name},',
    intro: (p) => `thanks for signing up for ${p}. Your account is ready.`,
    cta: 'Open your dashboard',
    gettingStarted: 'New here? The getting-started guide walks you through the first steps.',
    settings: 'You can change your language and notification preferences at any time in your account settings.',
    notYou: 'If you did not create this account, you can ignore this email.',
    signoff: (p) => `The ${p} team`,
  },
  de: {
    subject: (p) => `Willkommen bei ${p}`,
    greeting: 'Hallo {name},',
    intro: (p) => `danke für deine Anmeldung bei ${p}. Dein Konto ist bereit.`,
    cta: 'Zum Dashboard',
    gettingStarted: 'Neu hier? Die Einstiegsanleitung führt dich durch die ersten Schritte.',
    settings: 'Sprache und Benachrichtigungen kannst du jederzeit in deinen Kontoeinstellungen ändern.',
    notYou: 'Falls du dieses Konto nicht angelegt hast, kannst du diese E-Mail ignorieren.',
    signoff: (p) => `Dein ${p}-Team`,
  },
  fr: {
    subject: (p) => `Bienvenue sur ${p}`,
    greeting: 'Bonjour {name},',
    intro: (p) => `merci de votre inscription à ${p}. Votre compte est prêt.`,
    cta: 'Ouvrir votre tableau de bord',
    gettingStarted: 'Nouveau ici ? Le guide de démarrage vous accompagne dans les premières étapes.',
    settings: 'Vous pouvez modifier votre langue et vos préférences de notification à tout moment dans les paramètres de votre compte.',
    notYou: "Si vous n'avez pas créé ce compte, vous pouvez ignorer cet e-mail.",
    signoff: (p) => `L'équipe ${p}`,
  },
  es: {
    subject: (p) => `Te damos la bienvenida a ${p}`,
    greeting: 'Hola {name}:',
    intro: (p) => `gracias por registrarte en ${p}. Tu cuenta está lista.`,
    cta: 'Abrir tu panel',
    gettingStarted: '¿Eres nuevo? La guía de inicio te acompaña en los primeros pasos.',
    settings: 'Puedes cambiar tu idioma y tus preferencias de notificación en cualquier momento en la configuración de tu cuenta.',
    notYou: 'Si no creaste esta cuenta, puedes ignorar este correo.',
    signoff: (p) => `El equipo de ${p}`,
  },
};
