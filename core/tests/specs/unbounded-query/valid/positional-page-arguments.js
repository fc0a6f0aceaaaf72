// From chaunnt/TemplateNodeJS_HapiAndMySQL (API/Wallet/resourceAccess/WalletResourceAccess.js):
// the project's resource-access wrappers take the page as positional numbers,
// find(filter, skip, limit, order). `0, 1` reads one row, not the whole table.
const Hapi = require('@hapi/hapi');
const Common = require('./Common/resourceAccess/CommonResourceAccess');

const server = Hapi.server({ port: 3000 });

async function findWalletByUser(appUserId, walletType) {
  const _filter = { appUserId, walletType };
  return await Common.find('Wallet', _filter, 0, 1, undefined);
}

server.route({
  method: 'POST',
  path: '/Wallet/user/getWallet',
  handler: async (request) => findWalletByUser(request.auth.credentials.appUserId, request.payload.walletType),
});
