//! Chinese collation for sorting by name: the browser's `Intl.Collator`
//! (pinyin order for zh-CN) ranks all names in one JS call, so sorting a
//! result list compares integers instead of crossing into JS per comparison.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = "export function collation_ranks(names) {
  const collator = new Intl.Collator('zh-CN');
  const order = names.map((_, i) => i).sort((a, b) => collator.compare(names[a], names[b]));
  const ranks = new Uint32Array(names.length);
  order.forEach((index, rank) => { ranks[index] = rank; });
  return ranks;
}")]
extern "C" {
    /// `ranks[i]` is the position of `names[i]` in collation order.
    pub fn collation_ranks(names: Vec<String>) -> Vec<u32>;
}
