/**
 * A message with the key's value removed, in the forms a target's error could echo it in (as it
 * is, base64, base64url): a delivery provider must never put it there, and this is the second
 * line of defence before a message is recorded or logged.
 */
export function redactSecret(message: string, secret: string): string {
  if (!secret) {
    return message;
  }
  const forms = [
    secret,
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('base64url'),
  ];
  return forms.reduce(
    (text, form) => text.split(form).join('[redacted]'),
    message,
  );
}
