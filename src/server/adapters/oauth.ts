// The script's OAuth token for the REST calls Postroom makes itself (Gmail, Drive), asked once per
// execution: every execution loads the bundle afresh, so this module-level cache never outlives one,
// and a token is valid far longer than an execution's 6 minutes.
// https://developers.google.com/apps-script/reference/script/script-app#getOAuthToken()

let token: string | null = null;

export function scriptToken(): string {
  return (token ??= ScriptApp.getOAuthToken());
}
