/** Every host method's handler, checked for completeness at compile time (`satisfies`). */
import type { HostMethod } from '../../protocol';
import type { Handler } from './types';
import { handle as moduleInit } from './module-init';
import { handle as tokensList } from './tokens-list';
import { handle as tokenStatus } from './token-status';
import { handle as tokenObjects } from './token-objects';
import { handle as login } from './login';
import { handle as logout } from './logout';
import { handle as setPin } from './token-set-pin';
import { handle as keyDescribe } from './key-describe';
import { handle as keySign } from './key-sign';
import { handle as slotsWatch } from './slots-watch';
import { handle as initToken } from './admin-init-token';
import { handle as initPin } from './admin-init-pin';
import { handle as generateKeyPair } from './admin-generate-key-pair';
import { handle as createCertificate } from './admin-create-certificate';

export const handlers = {
  'module.init': moduleInit,
  'tokens.list': tokensList,
  'token.status': tokenStatus,
  'token.objects': tokenObjects,
  'token.login': login,
  'token.logout': logout,
  'token.setPin': setPin,
  'key.describe': keyDescribe,
  'key.sign': keySign,
  'slots.watch': slotsWatch,
  'admin.initToken': initToken,
  'admin.initPin': initPin,
  'admin.generateKeyPair': generateKeyPair,
  'admin.createCertificate': createCertificate,
} satisfies { [M in HostMethod]: Handler<M> };
