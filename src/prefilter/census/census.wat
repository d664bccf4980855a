;; One pass over a body's bytes, 32 at a time (WebAssembly SIMD): whether `\u` occurs anywhere,
;; and the positions of two ASCII letters in either case. The body lies at offset 0 followed by
;; at least 32 zero bytes: a turn that starts at its last byte reads the 32 after it.
(module
  (memory (export "memory") 1)
  ;; 1 when the last census found a `\u`.
  (global $escape (export "escape") (mut i32) (i32.const 0))
  ;; Writes the positions (i32, ascending) at `out`; returns how many, or -1 past `max`.
  (func (export "census")
    (param $len i32) (param $out i32) (param $max i32) (param $letter1 i32) (param $letter2 i32)
    (result i32)
    (local $i i32) (local $n i32) (local $pos i32) (local $mask i32)
    (local $block v128) (local $block2 v128) (local $escapes v128) (local $hits v128) (local $hits2 v128)
    (local $backslashes v128) (local $us v128) (local $case v128) (local $l1 v128) (local $l2 v128)
    (local.set $backslashes (i8x16.splat (i32.const 0x5c)))
    (local.set $us (i8x16.splat (i32.const 0x75)))
    (local.set $case (i8x16.splat (i32.const 0x20)))
    (local.set $l1 (i8x16.splat (local.get $letter1)))
    (local.set $l2 (i8x16.splat (local.get $letter2)))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        ;; Two blocks a turn: one test for letters in 32 bytes.
        (local.set $block (v128.load (local.get $i)))
        (local.set $block2 (v128.load offset=16 (local.get $i)))
        ;; A backslash here and a `u` one byte on.
        (local.set $escapes
          (v128.or (local.get $escapes)
            (v128.or
              (v128.and (i8x16.eq (local.get $block) (local.get $backslashes))
                (i8x16.eq (v128.load offset=1 (local.get $i)) (local.get $us)))
              (v128.and (i8x16.eq (local.get $block2) (local.get $backslashes))
                (i8x16.eq (v128.load offset=17 (local.get $i)) (local.get $us))))))
        ;; `| 0x20` maps an ASCII capital onto its small letter, and nothing else onto a small letter.
        (local.set $block (v128.or (local.get $block) (local.get $case)))
        (local.set $block2 (v128.or (local.get $block2) (local.get $case)))
        (local.set $hits
          (v128.or (i8x16.eq (local.get $block) (local.get $l1))
                   (i8x16.eq (local.get $block) (local.get $l2))))
        (local.set $hits2
          (v128.or (i8x16.eq (local.get $block2) (local.get $l1))
                   (i8x16.eq (local.get $block2) (local.get $l2))))
        (if (v128.any_true (v128.or (local.get $hits) (local.get $hits2)))
          (then
            (local.set $mask
              (i32.or (i8x16.bitmask (local.get $hits))
                      (i32.shl (i8x16.bitmask (local.get $hits2)) (i32.const 16))))
            (loop $bits
              (local.set $pos (i32.add (local.get $i) (i32.ctz (local.get $mask))))
              (if (i32.lt_u (local.get $pos) (local.get $len))
                (then
                  (if (i32.ge_u (local.get $n) (local.get $max)) (then (return (i32.const -1))))
                  (i32.store
                    (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2)))
                    (local.get $pos))
                  (local.set $n (i32.add (local.get $n) (i32.const 1)))))
              (local.set $mask (i32.and (local.get $mask) (i32.sub (local.get $mask) (i32.const 1))))
              (br_if $bits (local.get $mask)))))
        (local.set $i (i32.add (local.get $i) (i32.const 32)))
        (br $blocks)))
    (global.set $escape (v128.any_true (local.get $escapes)))
    (local.get $n)))
