//! The memory allocator pgsh's binary uses: mimalloc for small blocks, the system allocator for large ones.
//!
//! Why both (measured on 1M rows, docs/benchmark.md): a stream makes and frees a row map, its texts and
//! timestamps for every row, and mimalloc's thread-local free lists do that faster than glibc (0.50 → 0.40 s).
//! But mimalloc grows a large block by copying it into a new one and keeps freed large blocks for a while,
//! so a result that grows to tens of MB (psql-mode printing holds the whole result's text) peaked at 171 MiB
//! instead of glibc's 79: glibc serves large blocks with `mmap`, grows them with `mremap` (no copy) and returns
//! them at once. Routing by size keeps each allocator where it is best. mimalloc is built without transparent
//! huge pages (Cargo.toml, `no_thp`): with them every process started 8 MiB larger.

use std::alloc::{GlobalAlloc, Layout, System};

use mimalloc::MiMalloc;

/// Blocks of this many bytes or more come from the system allocator (glibc's own `mmap` threshold starts at
/// 128 KiB; blocks this large are few, so the system allocator's cost per call does not matter).
const LARGE: usize = 256 * 1024;

/// mimalloc below [`LARGE`] bytes, the system allocator from there. Which allocator owns a block follows
/// from its size alone, and Rust gives the size to every `dealloc` and `realloc`, so no bookkeeping is
/// needed; a `realloc` across the threshold moves the block to the other allocator.
///
/// An application embedding pgsh may make it its own allocator too:
///
/// ```
/// #[global_allocator]
/// static GLOBAL: pgsh::Allocator = pgsh::Allocator;
///
/// fn main() {
///     let mut big = vec![1_u8; 1 << 20]; // from the system allocator
///     big.truncate(16);
///     big.shrink_to_fit(); // moved to mimalloc, its bytes kept
///     assert_eq!(big, [1; 16]);
/// }
/// ```
pub struct Allocator;

fn large(size: usize) -> bool {
    size >= LARGE
}

// SAFETY: every call is forwarded to an allocator that upholds `GlobalAlloc`'s contract, and a block is
// always returned to the allocator that made it: both `alloc` and `dealloc`/`realloc` choose by the block's
// size, which the caller must pass unchanged (the contract's "same layout").
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if large(layout.size()) {
            System.alloc(layout)
        } else {
            MiMalloc.alloc(layout)
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if large(layout.size()) {
            System.alloc_zeroed(layout)
        } else {
            MiMalloc.alloc_zeroed(layout)
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if large(layout.size()) {
            System.dealloc(ptr, layout)
        } else {
            MiMalloc.dealloc(ptr, layout)
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        match (large(layout.size()), large(new_size)) {
            (true, true) => System.realloc(ptr, layout, new_size),
            (false, false) => MiMalloc.realloc(ptr, layout, new_size),
            _ => {
                // SAFETY: the caller guarantees `new_size`, rounded up to `layout.align()`, does not overflow.
                let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
                let new = self.alloc(new_layout);
                if !new.is_null() {
                    std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                    self.dealloc(ptr, layout);
                }
                new
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A block keeps its bytes as it grows and shrinks across the threshold, in both directions, and each
    /// allocator frees what it made (a mismatch would abort the test process).
    #[test]
    fn blocks_keep_their_bytes_across_the_threshold() {
        let a = Allocator;
        let sizes = [
            16,
            LARGE - 1,
            LARGE,
            4 * LARGE,
            LARGE - 1,
            100,
            3 * LARGE,
            8,
        ];
        // SAFETY: each block is used within its current size and passed back with the layout it has.
        unsafe {
            let mut layout = Layout::from_size_align(sizes[0], 8).unwrap();
            let mut p = a.alloc(layout);
            assert!(!p.is_null());
            for i in 0..layout.size() {
                *p.add(i) = (i % 251) as u8;
            }
            for &size in &sizes[1..] {
                p = a.realloc(p, layout, size);
                assert!(!p.is_null());
                let kept = layout.size().min(size);
                for i in 0..kept {
                    assert_eq!(
                        *p.add(i),
                        (i % 251) as u8,
                        "byte {i} after resizing to {size}"
                    );
                }
                for i in kept..size {
                    *p.add(i) = (i % 251) as u8;
                }
                layout = Layout::from_size_align(size, 8).unwrap();
            }
            a.dealloc(p, layout);
            let z = Layout::from_size_align(2 * LARGE, 64).unwrap();
            let q = a.alloc_zeroed(z);
            assert!(!q.is_null() && (q as usize).is_multiple_of(64));
            assert!((0..z.size()).all(|i| *q.add(i) == 0));
            a.dealloc(q, z);
        }
    }
}
