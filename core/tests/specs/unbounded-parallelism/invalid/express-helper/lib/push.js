const axios = require('axios');

async function notify(token, message) {
  return axios.get(`${PUSH_API}/send?token=${token}&msg=${encodeURIComponent(message)}`);
}

module.exports = { notify };
