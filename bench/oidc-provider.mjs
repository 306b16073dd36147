// The reference for P2 and P3: node-oidc-provider with its in-memory adapter, one confidential
// client allowed the client_credentials grant, and token introspection on.
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [
    {
      client_id: 'bench',
      client_secret: process.env.CLIENT_SECRET,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      scope: 'read:device',
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  scopes: ['read:device'],
  features: { clientCredentials: { enabled: true }, introspection: { enabled: true }, devInteractions: { enabled: false } },
});
provider.listen(port, '127.0.0.1', () => process.send?.({ ready: true }));
