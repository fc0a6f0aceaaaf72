// A MobX store of the front end: no React import, but it lives in the front end `app/`.
export default class DocumentsStore {
  documents: any[] = [];
  pinned: string[] = [];

  get pinnedDocuments() {
    return this.documents.filter((d) => this.pinned.includes(d.id));
  }
}
