// NodeBB's one-time web installer (`node app --setup`): a server that runs once, before the
// forum exists (the serving app lives elsewhere). App-level advice is not about this one.
const express = require('express');

const app = express();
app.get('/', (req, res) => res.send('<form method="post">…</form>'));
app.post('/', (req, res) => res.send('installing'));

module.exports = () => app.listen(4567);
