/**
 * Compose's variable interpolation in a value: `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?message}` (an error when unset), `$$` for a literal `$`. The infra tests interpolate with
 * the variables an operator is told to set, so that a value is checked as a container gets it.
 */
export function interpolate(value: string, variables: Readonly<Record<string, string>>): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (whole, braced?: string, colon?: string, operator?: string, word?: string, bare?: string) => {
      if (whole === '$$') return '$';
      const name = braced ?? bare ?? '';
      const set = variables[name];
      const missing = set === undefined || (colon === ':' && set === '');
      if (!missing) return set;
      if (operator === '-') return word ?? '';
      if (operator === '?') throw new Error(`${name} is required: ${word ?? ''}`);
      return '';
    },
  );
}
