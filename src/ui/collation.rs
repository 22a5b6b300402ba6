//! Chinese text through the browser's `Intl.Collator` (pinyin order for
//! zh-CN), so no pinyin tables ship in the wasm: sorting by name ranks all
//! names in one JS call, and search learns each name's pinyin initials.
//! The names cross to JS as one text, a line each (10,000 strings one by
//! one cost more than the work itself).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = "const collator = new Intl.Collator('zh-CN');
export function collation_ranks_of_lines(text) {
  const names = text.split('\\n');
  const order = names.map((_, i) => i).sort((a, b) => collator.compare(names[a], names[b]));
  const ranks = new Uint32Array(names.length);
  order.forEach((index, rank) => { ranks[index] = rank; });
  return ranks;
}
// The first character of each initial in the collator's pinyin order (there
// are no syllables in i, u or v). Checked against GB2312's 3,755 common
// characters, which are filed by pinyin: 17 differ, all with two readings.
const FIRSTS = [...'阿八擦搭讹发嘎哈讥咖垃妈拿哦趴七然撒他挖夕丫匝'];
const LETTERS = 'abcdefghjklmnopqrstwxyz';
const letterOf = new Map();
function initial(ch) {
  let letter = letterOf.get(ch);
  if (letter === undefined) {
    letter = '';
    if (ch >= '\\u4e00' && ch <= '\\u9fff') {
      for (let i = 0; i < FIRSTS.length && collator.compare(FIRSTS[i], ch) <= 0; i += 1) letter = LETTERS[i];
    }
    letterOf.set(ch, letter);
  }
  return letter;
}
const initialsOf = new Map();
export function pinyin_initials_of_lines(text) {
  return text.split('\\n').map((name) => {
    let initials = initialsOf.get(name);
    if (initials === undefined) {
      initials = '';
      for (const ch of name) initials += initial(ch);
      initialsOf.set(name, initials);
    }
    return initials;
  }).join('\\n');
}")]
extern "C" {
    fn collation_ranks_of_lines(names: &str) -> Vec<u32>;
    fn pinyin_initials_of_lines(names: &str) -> String;
}

/// The names a line each (a line break in a name becomes a space: it has
/// no initial, and sorts like one).
fn lines(names: &[&str]) -> String {
    let mut text = String::new();
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        text.extend(name.chars().map(|c| if c == '\n' { ' ' } else { c }));
    }
    text
}

/// `ranks[i]` is the position of `names[i]` in collation order.
pub fn collation_ranks(names: &[&str]) -> Vec<u32> {
    if names.is_empty() {
        return Vec::new();
    }
    collation_ranks_of_lines(&lines(names))
}

/// Per name, one lowercase letter for each Chinese character: 海城华宇镁砖 → hchymz.
pub fn pinyin_initials(names: &[&str]) -> Vec<String> {
    if names.is_empty() {
        return Vec::new();
    }
    pinyin_initials_of_lines(&lines(names))
        .split('\n')
        .map(str::to_owned)
        .collect()
}
