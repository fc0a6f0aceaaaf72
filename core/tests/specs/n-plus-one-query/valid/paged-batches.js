// From chaunnt/TemplateNodeJS_HapiAndMySQL (cron jobs and maintenance scripts): the table is
// read a page of 100 rows at a time, the loop counter only ever multiplied by the page size.
// Each query is a batch, not one item's: no N+1 here.
const UserServicePackageViews = require('../resourceAccess/UserServicePackageViews');
const BooksResource = require('../resourceAccess/BooksResourceAccess');

const MAX_PER_BATCH = 100;

async function expireFinishedPackages() {
  const countAllInprogress = await UserServicePackageViews.count({ packageActivityStatus: 1 });
  const batchCount = Math.ceil(countAllInprogress / MAX_PER_BATCH);
  for (let i = 0; i < batchCount; i++) {
    const packages = await UserServicePackageViews.find({ packageActivityStatus: 1 }, MAX_PER_BATCH * i, MAX_PER_BATCH);
    console.info(`batch ${i}: ${packages.length} packages`);
  }
}

async function exportBooks(filter) {
  const booksCount = await BooksResource.count(filter);
  let reportData = [];
  for (let i = 0; i < Math.ceil(booksCount / MAX_PER_BATCH); i++) {
    const bookData = await BooksResource.find(filter, i * MAX_PER_BATCH, MAX_PER_BATCH);
    reportData = reportData.concat(bookData);
  }
  return reportData;
}

module.exports = { expireFinishedPackages, exportBooks };
