const express = require('express');
const { getProfile } = require('./service');

const app = express();
app.get('/api/profiles/:id', async (req, res) => res.json(await getProfile(req.params.id)));
