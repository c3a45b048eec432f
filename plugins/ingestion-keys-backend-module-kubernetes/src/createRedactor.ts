const MAX_LENGTH = 300;

/**
 * Returns a function that removes the given secrets from a text and shortens it. Applied to every
 * text that came from outside this module (a Status message, a socket error) before it goes into
 * an error or a log line, so that a server echoing a request back cannot leak what was sent.
 */
export function createRedactor(
  secrets: Array<string | undefined>,
): (text: string) => string {
  const present = secrets
    .filter((secret): secret is string => !!secret)
    .sort((a, b) => b.length - a.length);
  return text => {
    let result = text;
    for (const secret of present) {
      result = result.split(secret).join('[redacted]');
    }
    return result.length > MAX_LENGTH
      ? `${result.slice(0, MAX_LENGTH)}…`
      : result;
  };
}
