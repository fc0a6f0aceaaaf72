//! `n-plus-one-query`'s rewrite of a Sequelize association accessor called per row
//! (`await user.getPosts()` over `const users = await User.findAll(…)`) into eager loading:
//! the list query gains `include: [{ association: 'posts' }]` (Sequelize's include by
//! association alias) and the loop reads the loaded property (`user.posts`).
//!
//! Offered only when it is exact: the accessor takes no arguments (a filtered accessor is a
//! filtered include, the user's to write), the association's alias is declared in the code
//! (`as: 'posts'`, or a sequelize-typescript decorated property) so the property name is
//! known, the rows come from a `findAll`/`findAndCountAll` in the same function before the
//! loop whose options are an object literal (or absent) without an `include` of its own, and
//! nothing else sits between them that the rewrite would have to move.

use super::Context;
use crate::model::{CallKind, CallSite, Iteration, Library, Query};
use swc_common::Span;

/// The lines from the list query's statement to the end of the loop, rewritten, with the
/// span they cover.
pub(super) fn rewrite(ctx: &Context, call: &CallSite, query: &Query, iteration: &Iteration) -> Option<(Span, String)> {
    let program = ctx.program;
    if query.library != Library::Sequelize || !query.operation.starts_with("get") || query.operation.starts_with('$') {
        return None;
    }
    let file = program.file(call.file);
    let text = file.snippet(call.span);
    if !text.trim_end().ends_with("()") {
        return None;
    }
    let key = crate::model::association_key(query.model.as_deref()?);
    let mut found = program.associations.iter().filter(|a| a.key == key);
    let alias = found.next()?.alias.clone()?;
    if found.next().is_some() {
        return None;
    }
    let collection = iteration.collection.as_deref()?.trim();
    if !collection.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$') {
        return None;
    }
    // The list query whose rows the loop walks: the last one before the loop bound to the
    // collection's name, in a function enclosing the accessor's call.
    let mut enclosing = Vec::new();
    let mut f = call.function;
    while let Some(g) = f {
        enclosing.push(g);
        f = program.functions[g].parent;
    }
    let list = program
        .calls
        .iter()
        .filter(|c| {
            c.file == call.file
                && c.span.hi <= iteration.span.lo
                && c.result_name.as_deref() == Some(collection)
                && c.function.is_some_and(|g| enclosing.contains(&g))
        })
        .last()?;
    let CallKind::Query(lq) = &list.kind else { return None };
    if !matches!(lq.library, Library::Sequelize | Library::Orm)
        || !["findAll", "findAndCountAll"].contains(&lq.operation.as_str())
        || lq.eager
    {
        return None;
    }
    let list_text = file.snippet(list.span);
    let open = list_text.find('(')?;
    let args = list_text[open + 1..].strip_suffix(')')?.trim();
    let include = format!("include: [{{ association: '{alias}' }}]");
    let new_list = if args.is_empty() {
        format!("{}({{ {include} }})", &list_text[..open])
    } else if args.starts_with('{') && args.ends_with('}') && !args.contains("include") {
        let brace = open + 1 + list_text[open + 1..].find('{')? + 1;
        format!("{} {include},{}", &list_text[..brace], &list_text[brace..])
    } else {
        return None;
    };
    // The region: from the list query's line to the loop's last line.
    let region = Span::new(list.span.lo, iteration.statement.hi.max(iteration.span.hi));
    let region_start = file.lines.line_start(file.position(region.lo).0) as usize;
    let at = |pos: swc_common::BytePos| (file.offset(pos) as usize).checked_sub(region_start);
    let mut out = ctx.lines(call.file, region);
    // The accessor (with its `await`) becomes the eager-loaded property.
    let (mut lo, hi) = (at(call.span.lo)?, at(call.span.hi)?);
    if let Some(stripped) = out[..lo].trim_end().strip_suffix("await") {
        if stripped.ends_with(|c: char| !c.is_alphanumeric() && c != '_' && c != '$') || stripped.is_empty() {
            lo = stripped.len();
        }
    }
    let receiver = &query.receiver;
    out.replace_range(lo..hi, &format!("{receiver}.{alias}"));
    let (llo, lhi) = (at(list.span.lo)?, at(list.span.hi)?);
    if lhi > lo {
        return None;
    }
    out.replace_range(llo..lhi, &new_list);
    Some((region, out))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::assert_parses;
    use crate::{analyze, Params, SourceFile};

    fn after(src: &str) -> Vec<String> {
        let a = analyze(&[SourceFile::new("a.js", src)], &Params::all_rules());
        a.findings.iter().filter(|f| f.rule == "n-plus-one-query").map(|f| f.after.clone()).collect()
    }

    #[test]
    fn accessor_per_row_becomes_an_include() {
        let src = "User.hasMany(Post, { as: 'posts' });\napp.get('/u', async (req, res) => {\n  const users = await User.findAll({ where: { active: true } });\n  for (const user of users) {\n    user.list = await user.getPosts();\n  }\n  res.json(users);\n});\n";
        let a = after(src);
        assert_eq!(
            a,
            ["  const users = await User.findAll({ include: [{ association: 'posts' }], where: { active: true } });\n  for (const user of users) {\n    user.list = user.posts;\n  }"]
        );
        assert_parses(&a[0]);
    }

    #[test]
    fn no_rewrite_without_a_declared_alias_or_with_arguments() {
        let src = "User.hasMany(Post);\napp.get('/u', async (req, res) => {\n  const users = await User.findAll();\n  for (const user of users) {\n    user.list = await user.getPosts();\n  }\n  res.json(users);\n});\n";
        assert_eq!(after(src), [""]);
        let src = "User.hasMany(Post, { as: 'posts' });\napp.get('/u', async (req, res) => {\n  const users = await User.findAll();\n  for (const user of users) {\n    user.list = await user.getPosts({ where: { draft: false } });\n  }\n  res.json(users);\n});\n";
        assert_eq!(after(src), [""]);
    }
}
