const express = require('express');
const { buildRateTable } = require('./lib/rates');

const app = express();
const config = { factor: 1.2, zones: [] };

app.post('/api/quotes', (req, res) => {
  const quotes = req.body.parcels.map((parcel) => {
    const rates = buildRateTable(config); // expect: memoization-candidate
    return { id: parcel.id, price: rates[parcel.zone] * parcel.weight };
  });
  res.json(quotes);
});

app.listen(3000);
