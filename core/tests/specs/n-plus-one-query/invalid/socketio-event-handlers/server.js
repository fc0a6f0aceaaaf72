const { createServer } = require('http');
const { Server } = require('socket.io');
const registerRoomHandlers = require('./rooms');

const httpServer = createServer();
const io = new Server(httpServer);

io.on('connection', (socket) => {
  registerRoomHandlers(io, socket);
});

httpServer.listen(3000);
