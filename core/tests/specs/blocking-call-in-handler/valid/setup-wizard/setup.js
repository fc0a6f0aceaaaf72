// A set-up wizard (Requarks/wiki's server/setup.js): a throw-away server that runs once,
// before the application exists, and generates the instance's keys.
const express = require('express');
const crypto = require('crypto');
const fs = require('fs');

module.exports = () => {
  const app = express();
  app.post('/finalize', (req, res) => {
    const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    fs.writeFileSync('./config.yml', JSON.stringify({ publicKey, privateKey, site: req.body.site }));
    res.json({ ok: true });
  });
  app.listen(3000);
};
