const { Room, Member } = require('./models');

module.exports = (io, socket) => {
  const listRooms = async (userId, ack) => {
    const rooms = await Room.findAll({ where: { ownerId: userId } });
    for (const room of rooms) {
      room.members = await Member.findAll({ where: { roomId: room.id } }); // expect: n-plus-one-query
    }
    ack(rooms);
  };

  socket.on('room:list', listRooms);
};
