// From chaunnt/TemplateNodeJS_HapiAndMySQL (API/WalletRecord/manager/WalletRecordManager.js):
// a four-element list of constants bound with `let` and never changed is a small constant
// array, as if it were `const`.
const { WALLET_RECORD_TYPE } = require('./WalletRecordConstant');

function visibleRecordTypes(filter) {
  let _excludeRecordType = [
    WALLET_RECORD_TYPE.MISSON_COMPLETED,
    WALLET_RECORD_TYPE.MISSON_REFERRAL_COMPLETED,
    WALLET_RECORD_TYPE.PLAY_GAME_MISSION,
    WALLET_RECORD_TYPE.PLAY_MISSION_WIN,
  ];
  const recordTypes = [];
  for (let i = 0; i < Object.values(WALLET_RECORD_TYPE).length; i++) {
    const _recordType = Object.values(WALLET_RECORD_TYPE)[i];
    if (_excludeRecordType.indexOf(_recordType) < 0) {
      recordTypes.push(_recordType);
    }
  }
  return filter.recordType ? recordTypes.filter(t => t === filter.recordType) : recordTypes;
}

module.exports = { visibleRecordTypes };
