// Names a user types that Kubernetes validates: checked before anything is read, with the
// API's own rule, so a typo is one line and exit 2 instead of a request the server refuses later.

import { InputError } from './errors.ts';

/** A namespace name: a DNS-1123 label, at most 63 characters (the API's ValidateNamespaceName). */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function namespaceName(value: string, flag = '-n'): string {
  if (!DNS_LABEL.test(value)) throw new InputError(`${flag} ${value}: not a valid namespace name (lower-case letters, digits and '-', at most 63 characters)`);
  return value;
}
