;; One pass over a body's bytes, 32 at a time (WebAssembly SIMD): where each `\u` stands (its
;; backslash), and where either of two keys does. A key is a letter in either case with a byte
;; beside it (`offset` from the letter: the literal's next or previous byte; small letters are
;; compared in either case, `fold` 0x20, other bytes as they are, `fold` 0): the pair is far rarer
;; in a body than the letter alone. A key with no byte beside it names the letter itself at offset 0.
;; The body lies at `base` (at least 1: its first byte's previous one is read), after zero bytes,
;; and is followed by at least 33 zero bytes: a turn that starts at its last byte reads 33 after it.
(module
  (memory (export "memory") 1)
  ;; 1 when the last census found a `\u`.
  (global $escape (export "escape") (mut i32) (i32.const 0))
  ;; Writes the positions (i32, ascending, from the body's start) at `out`; returns how many, or
  ;; -1 past `max`.
  (func (export "census")
    (param $base i32) (param $len i32) (param $out i32) (param $max i32)
    (param $letter1 i32) (param $offset1 i32) (param $byte1 i32) (param $fold1 i32)
    (param $letter2 i32) (param $offset2 i32) (param $byte2 i32) (param $fold2 i32)
    (result i32)
    (local $i i32) (local $end i32) (local $n i32) (local $pos i32) (local $mask i32)
    (local $block v128) (local $block2 v128) (local $escapes v128) (local $hits v128) (local $hits2 v128)
    (local $u1 v128) (local $u2 v128) (local $backslashes v128) (local $us v128) (local $case v128) (local $l1 v128) (local $l2 v128)
    (local $b1 v128) (local $b2 v128) (local $f1 v128) (local $f2 v128) (local $others v128) (local $others2 v128)
    (local.set $backslashes (i8x16.splat (i32.const 0x5c)))
    (local.set $us (i8x16.splat (i32.const 0x75)))
    (local.set $case (i8x16.splat (i32.const 0x20)))
    (local.set $l1 (i8x16.splat (local.get $letter1)))
    (local.set $l2 (i8x16.splat (local.get $letter2)))
    (local.set $b1 (i8x16.splat (local.get $byte1)))
    (local.set $b2 (i8x16.splat (local.get $byte2)))
    (local.set $f1 (i8x16.splat (local.get $fold1)))
    (local.set $f2 (i8x16.splat (local.get $fold2)))
    (local.set $i (local.get $base))
    (local.set $end (i32.add (local.get $base) (local.get $len)))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        ;; Two blocks a turn: one test for keys in 32 bytes.
        (local.set $block (v128.load (local.get $i)))
        (local.set $block2 (v128.load offset=16 (local.get $i)))
        ;; A backslash here and a `u` one byte on: its place is written out with the keys'.
        (local.set $u1
          (v128.and (i8x16.eq (local.get $block) (local.get $backslashes))
            (i8x16.eq (v128.load offset=1 (local.get $i)) (local.get $us))))
        (local.set $u2
          (v128.and (i8x16.eq (local.get $block2) (local.get $backslashes))
            (i8x16.eq (v128.load offset=17 (local.get $i)) (local.get $us))))
        (local.set $escapes (v128.or (local.get $escapes) (v128.or (local.get $u1) (local.get $u2))))
        ;; `| 0x20` maps an ASCII capital onto its small letter, and nothing else onto a small letter.
        (local.set $block (v128.or (local.get $block) (local.get $case)))
        (local.set $block2 (v128.or (local.get $block2) (local.get $case)))
        ;; The letters first: the bytes beside them are read only in a turn that holds one.
        (local.set $hits (i8x16.eq (local.get $block) (local.get $l1)))
        (local.set $hits2 (i8x16.eq (local.get $block) (local.get $l2)))
        (local.set $others (i8x16.eq (local.get $block2) (local.get $l1)))
        (local.set $others2 (i8x16.eq (local.get $block2) (local.get $l2)))
        (if (v128.any_true
              (v128.or
                (v128.or (v128.or (local.get $hits) (local.get $hits2))
                         (v128.or (local.get $others) (local.get $others2)))
                (v128.or (local.get $u1) (local.get $u2))))
          (then
            (local.set $hits
              (v128.or
                (local.get $u1)
                (v128.or
                  (v128.and (local.get $hits)
                    (i8x16.eq
                      (v128.or (v128.load (i32.add (local.get $i) (local.get $offset1))) (local.get $f1))
                      (local.get $b1)))
                  (v128.and (local.get $hits2)
                    (i8x16.eq
                      (v128.or (v128.load (i32.add (local.get $i) (local.get $offset2))) (local.get $f2))
                      (local.get $b2))))))
            (local.set $hits2
              (v128.or
                (local.get $u2)
                (v128.or
                  (v128.and (local.get $others)
                    (i8x16.eq
                      (v128.or (v128.load offset=16 (i32.add (local.get $i) (local.get $offset1)))
                               (local.get $f1))
                      (local.get $b1)))
                  (v128.and (local.get $others2)
                    (i8x16.eq
                      (v128.or (v128.load offset=16 (i32.add (local.get $i) (local.get $offset2)))
                               (local.get $f2))
                      (local.get $b2))))))
            (local.set $mask
              (i32.or (i8x16.bitmask (local.get $hits))
                      (i32.shl (i8x16.bitmask (local.get $hits2)) (i32.const 16))))
            (if (local.get $mask)
              (then
                (loop $bits
                  (local.set $pos
                    (i32.sub (i32.add (local.get $i) (i32.ctz (local.get $mask))) (local.get $base)))
                  (if (i32.lt_u (local.get $pos) (local.get $len))
                    (then
                      (if (i32.ge_u (local.get $n) (local.get $max)) (then (return (i32.const -1))))
                      (i32.store
                        (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2)))
                        (local.get $pos))
                      (local.set $n (i32.add (local.get $n) (i32.const 1)))))
                  (local.set $mask (i32.and (local.get $mask) (i32.sub (local.get $mask) (i32.const 1))))
                  (br_if $bits (local.get $mask)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 32)))
        (br $blocks)))
    (global.set $escape (v128.any_true (local.get $escapes)))
    (local.get $n)))
