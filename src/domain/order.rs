//! The one sort. Every sort the phone's app does goes through `sort_indices`
//! (positions compared through a `dyn` order), so its wasm carries one sort
//! instead of one per element type and order. Depends on nothing.

use std::cmp::Ordering;

/// Stable sort of positions by any order.
pub fn sort_indices(indices: &mut [usize], order: &dyn Fn(usize, usize) -> Ordering) {
    indices.sort_by(|a, b| order(*a, *b));
}

/// `items` sorted (stably) by `order`.
pub fn sorted<T>(items: Vec<T>, order: &dyn Fn(&T, &T) -> Ordering) -> Vec<T> {
    let mut positions: Vec<usize> = (0..items.len()).collect();
    sort_indices(&mut positions, &|a, b| order(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    positions
        .into_iter()
        .map(|i| slots[i].take().expect("each position once"))
        .collect()
}
