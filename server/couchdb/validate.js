// validate_doc_update of the project ledger's database (_design/ledger).
// ES5 only: CouchDB runs it in its own JavaScript engine, for every write,
// with nothing but the document being written, the one it replaces, the
// user's context and the security object. So a subject's district is read
// from its id (the app's District::of_subject, the same table).
//
// A document is one edit: {_id: edit id, author, district, edit: {...}};
// `author` is the user who uploaded it, the edit's `a` who made it.
// Messages are in Chinese: the app shows them to the person as the server's
// reason.
//
// CouchDB's own replication (a backup, a restore, district databases into a
// city one) writes each edit as it is, as a server admin or a user with the
// role `ledger-replicator`: for them the author stays the edit's maker, and
// the district rules were kept where the edit was first written. Every other
// rule, the shape and the bounds, holds for every writer.
function (newDoc, oldDoc, userCtx, secObj) {
  // The two letters that begin a district's ids (src/domain/vocab/project.rs).
  var CODES = {
    hc: 'Haicheng', ta: 'Taian', xy: 'Xiuyan', td: 'Tiedong', tx: 'Tiexi',
    ls: 'Lishan', qs: 'Qianshan', gx: 'HighTech', jk: 'EconomicZone'
  };
  var LEDGER = 'ledger:campaign';
  var roles = userCtx.roles || [];
  function has(role) { return roles.indexOf(role) !== -1; }
  function refuse(why) { throw ({ forbidden: why }); }
  function isArray(v) { return Object.prototype.toString.call(v) === '[object Array]'; }
  function isObject(v) { return typeof v === 'object' && v !== null && !isArray(v); }
  function isText(v, most) { return typeof v === 'string' && v.length > 0 && v.length <= most; }
  // What a person typing could make (src/domain/rules/validate.rs): a text of
  // at most MAX_TEXT_CHARS, a list of at most MAX_REPLACED, nested shallowly,
  // an edit's content at most MAX_UNREADABLE_CHARS as JSON.
  var MAX_TEXT = 5000, MAX_LIST = 64, MAX_DEPTH = 6, MAX_CONTENT = 20000;
  function bounded(v, depth) {
    if (typeof v === 'string') return v.length <= MAX_TEXT;
    if (typeof v !== 'object' || v === null) return true;
    if (depth >= MAX_DEPTH) return false;
    if (isArray(v)) {
      if (v.length > MAX_LIST) return false;
      for (var i = 0; i < v.length; i++) if (!bounded(v[i], depth + 1)) return false;
      return true;
    }
    for (var k in v) {
      if (Object.prototype.hasOwnProperty.call(v, k) && (k.length > 100 || !bounded(v[k], depth + 1))) return false;
    }
    return true;
  }
  function isEditId(v) { return typeof v === 'string' && /^[A-Za-z0-9]{1,32}:(0|[1-9][0-9]{0,15})$/.test(v); }
  function districtOf(id) {
    var parts = id.split('-');
    var made = parts[0] === 'u' || parts[0] === 'person';
    var code = made ? parts[1] : parts[0];
    return (parts.length > (made ? 2 : 1) && CODES.hasOwnProperty(code)) ? CODES[code] : null;
  }

  var admin = has('_admin');
  var replicator = admin || has('ledger-replicator');
  if (newDoc._id.indexOf('_design/') === 0) {
    if (!admin) refuse('只有数据库管理员能修改访问规则');
    return;
  }
  if (!userCtx.name) throw ({ unauthorized: '请先登录' });
  if (newDoc._deleted) refuse('修改记录不能删除');
  // The word the app reads as "already there" (domain::sync::document::IMMUTABLE).
  if (oldDoc) refuse('immutable: 修改记录一经写入就不能更改');

  var e = newDoc.edit;
  if (!isObject(e)) refuse('edit 必须是一条修改记录');
  // Nothing rides beside the edit: the document's own fields (not CouchDB's
  // `_` ones) are bounded as a whole too.
  var size = 0;
  for (var field in newDoc) {
    if (Object.prototype.hasOwnProperty.call(newDoc, field) && field.charAt(0) !== '_') size += field.length + (JSON.stringify(newDoc[field]) || '').length;
  }
  if (size > 2 * MAX_CONTENT) refuse('修改记录超出长度限制');
  if (!isEditId(e.i)) refuse('修改记录的编号无效');
  if (newDoc._id !== e.i) refuse('文档编号必须与修改记录的编号一致');
  if (replicator ? !isText(newDoc.author, 200) : newDoc.author !== userCtx.name) refuse('author 必须是登录的用户');
  if (e.v !== undefined && !(typeof e.v === 'number' && e.v % 1 === 0 && e.v >= 2)) refuse('修改记录的格式版本无效');
  if (!isText(e.d, 64)) refuse('修改记录缺少设备');
  if (!isText(e.p, 100)) refuse('修改记录缺少对象');
  if (typeof e.t !== 'number' || e.t % 1 !== 0) refuse('修改记录的时间无效');
  if (!(typeof e.c === 'string' || isObject(e.c))) refuse('修改记录缺少内容');
  if (!bounded(e.c, 0) || JSON.stringify(e.c).length > MAX_CONTENT) refuse('修改记录的内容超出长度限制（每段文字最多 5000 字）');
  // Format 3 names who made the edit (src/domain/log/edit.rs, Maker): a
  // login and a 我是 name, either or both. They may differ from the signed-in
  // user: an edit made on another device, or before sign-in, and carried here
  // in a 修改包 keeps its maker. The server can vouch only for who uploads,
  // so `author` above stays the uploader, and the app names both when they
  // differ ("孙立新 录入 · 由 district-Haicheng-1 上传").
  if (e.v === 3 || e.a !== undefined) {
    if (!isObject(e.a)) refuse('修改记录缺少录入人');
    for (var who in e.a) {
      if (Object.prototype.hasOwnProperty.call(e.a, who) && !((who === 'u' || who === 'n') && isText(e.a[who], 200))) refuse('修改记录的录入人无效');
    }
  }
  if (e.r !== undefined) {
    if (!isArray(e.r) || e.r.length > MAX_LIST) refuse('修改记录的 r 必须是编号列表');
    for (var n = 0; n < e.r.length; n++) if (!isEditId(e.r[n])) refuse('修改记录的 r 必须是编号列表');
  }

  var district = districtOf(e.p);
  if (newDoc.district !== district) refuse('district 与对象编号所属区县不符');
  // A new project or a person's entry names the district its id names.
  var named = isObject(e.c) ? (e.c.Create || e.c.SavePerson) : null;
  if (named && district && named.district !== district) refuse('所填区县与编号所属区县不符');

  if (e.p === LEDGER) {
    if (!(replicator || has('city-office'))) refuse('只有市项目办能修改活动设置');
    return;
  }
  if (replicator || has('city-office') || has('city-leader')) return;
  if (district && has('district-' + district)) return;
  refuse(district ? '本区县用户只能修改本区县的项目和人员' : '只有市级用户能修改未说明区县的项目和人员');
}
