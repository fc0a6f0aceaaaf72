// From chaunnt/TemplateNodeJS_HapiAndMySQL (sqlscript/updateBooksTotalChapter.js): the
// loop reads ONE row per offset (`find({}, i, 1)`) and then counts its chapters: two
// queries per book. Paging by the counter is only a batch when a page holds many rows.
const BooksResourceAccess = require('../API/Books/resourceAccess/BooksResourceAccess');
const BooksChapter = require('../API/BooksChapter/resourceAccess/BooksChapterResourceAccess');

async function updateBooksTotalChapter() {
  const booksCount = await BooksResourceAccess.count({});
  for (let i = 0; i < booksCount; i++) {
    const books = await BooksResourceAccess.find({}, i, 1); // expect: n-plus-one-query
    if (books.length > 0) {
      const chapterCount = await BooksChapter.count({ booksId: books[0].booksId }); // expect: n-plus-one-query
      console.log(`book ${books[0].booksId}: ${chapterCount} chapters`);
    }
  }
}

updateBooksTotalChapter().then(() => process.exit(0));
