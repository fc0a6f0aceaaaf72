// Every caller passes the one to three permissions a route requires as a literal array
// (chaunnt/TemplateNodeJS_HapiAndMySQL, API/Common/CommonFunctions.js verifyPermission): checking
// them against a role's permissions is a handful of searches, not a search per row.
const RoleResourceAccess = require('./RoleResourceAccess');

async function hasPermission(required, roleId) {
  const role = await RoleResourceAccess.findById(roleId);
  if (!role) {
    return false;
  }
  const grantedPermissions = role.permissions;
  return required.some((permission) => grantedPermissions.includes(permission));
}

module.exports = { hasPermission };
