module.exports = { connections: [{ port: process.env.PORT || 5001 }], registrations: [] };
