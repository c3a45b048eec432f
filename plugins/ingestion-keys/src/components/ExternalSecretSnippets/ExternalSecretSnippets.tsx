import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { CodeSnippet } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import {
  buildExternalSecretManifests,
  PULL_TOKEN_SECRET,
} from './buildExternalSecretManifests';

/** Stands in for the backend's URL in an app whose config does not say it. */
const BACKEND_PLACEHOLDER = 'https://<backstage-backend>';

/**
 * What to apply in the namespace of the senders for External Secrets Operator to pull a key
 * from a store: the store (once) and the ExternalSecret (per key). The manifests name the key,
 * never its value.
 */
export const ExternalSecretSnippets = (props: {
  store: string;
  keyName: string;
}) => {
  const { store, keyName } = props;
  const config = useApi(configApiRef);
  const manifests = buildExternalSecretManifests({
    backendBaseUrl:
      config.getOptionalString('backend.baseUrl') ?? BACKEND_PLACEHOLDER,
    store,
    keyName,
  });
  return (
    <section aria-label={`External Secrets manifests for ${store}`}>
      <Typography variant="subtitle2" component="h4">
        Pulled by External Secrets from the store {store}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        Apply these in your senders' namespace. Put the store's pull token (from
        your Backstage administrators) in the {PULL_TOKEN_SECRET} Secret; the
        key lands in the Secret api-key as API_KEY.
      </Typography>
      {[
        {
          title: 'SecretStore (once per namespace)',
          text: manifests.secretStore,
        },
        { title: 'ExternalSecret', text: manifests.externalSecret },
      ].map(snippet => (
        <Box key={snippet.title} mt={1}>
          <Typography variant="caption" component="h5">
            {snippet.title}
          </Typography>
          <CodeSnippet text={snippet.text} language="text" showCopyCodeButton />
        </Box>
      ))}
    </section>
  );
};
