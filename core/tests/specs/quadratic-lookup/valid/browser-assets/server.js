// From madhums/node-express-mongoose-demo: public/js holds jQuery and Bootstrap, minified
// browser code the server only sends as static files; it is not the backend.
const express = require('express');
const app = express();
app.use(express.static('public'));
app.listen(3000);
