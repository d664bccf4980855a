;; One pass over a body's bytes, 64 at a time (WebAssembly SIMD): where its brackets stand outside
;; strings. A backslash escapes the byte after it unless it is escaped itself; a quote that is not
;; escaped opens or closes a string; a bracket (`{`, `}`, `[` or `]`) that is neither escaped nor
;; in a string is written out. Bit masks of 64 bytes are built from the byte compares; the escaped
;; bytes follow the odd-length runs of backslashes, found by carrying each run's start through it
;; with an add, and the bytes in strings are the prefix XOR of the quotes.
;; The body lies at `base` (a multiple of 64) and is followed by at least 64 zero bytes.
(module
  (memory (export "memory") 1)
  ;; Writes the positions (i32, ascending, from the body's start) at `out`; returns how many, or
  ;; -1 past `max`.
  (func (export "brackets")
    (param $base i32) (param $len i32) (param $out i32) (param $max i32)
    (result i32)
    (local $i i32) (local $end i32) (local $n i32) (local $pos i32)
    (local $backslashes i64) (local $quotes i64) (local $brackets i64) (local $starts i64)
    (local $escaped i64) (local $inString i64) (local $x i64) (local $first i64)
    (local $evenStarts i64) (local $oddStarts i64) (local $notBackslashes i64)
    ;; The run of backslashes the last block ended in: 0 none, 1 one that started at an even
    ;; place, 2 one that started at an odd place. Whether the last block ended in a string: 0 or -1.
    (local $run i64) (local $stringCarry i64)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local $slash v128) (local $quote v128) (local $case v128) (local $open v128) (local $close v128)
    (local.set $slash (i8x16.splat (i32.const 0x5c)))
    (local.set $quote (i8x16.splat (i32.const 0x22)))
    (local.set $case (i8x16.splat (i32.const 0x20)))
    ;; `| 0x20` maps `[` onto `{` and `]` onto `}`, and nothing else onto either.
    (local.set $open (i8x16.splat (i32.const 0x7b)))
    (local.set $close (i8x16.splat (i32.const 0x7d)))
    (local.set $i (local.get $base))
    (local.set $end (i32.add (local.get $base) (local.get $len)))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $v0 (v128.load (local.get $i)))
        (local.set $v1 (v128.load offset=16 (local.get $i)))
        (local.set $v2 (v128.load offset=32 (local.get $i)))
        (local.set $v3 (v128.load offset=48 (local.get $i)))
        (local.set $backslashes
          (call $mask
            (i8x16.eq (local.get $v0) (local.get $slash)) (i8x16.eq (local.get $v1) (local.get $slash))
            (i8x16.eq (local.get $v2) (local.get $slash)) (i8x16.eq (local.get $v3) (local.get $slash))))
        (local.set $quotes
          (call $mask
            (i8x16.eq (local.get $v0) (local.get $quote)) (i8x16.eq (local.get $v1) (local.get $quote))
            (i8x16.eq (local.get $v2) (local.get $quote)) (i8x16.eq (local.get $v3) (local.get $quote))))
        (local.set $v0 (v128.or (local.get $v0) (local.get $case)))
        (local.set $v1 (v128.or (local.get $v1) (local.get $case)))
        (local.set $v2 (v128.or (local.get $v2) (local.get $case)))
        (local.set $v3 (v128.or (local.get $v3) (local.get $case)))
        (local.set $brackets
          (call $mask
            (v128.or (i8x16.eq (local.get $v0) (local.get $open)) (i8x16.eq (local.get $v0) (local.get $close)))
            (v128.or (i8x16.eq (local.get $v1) (local.get $open)) (i8x16.eq (local.get $v1) (local.get $close)))
            (v128.or (i8x16.eq (local.get $v2) (local.get $open)) (i8x16.eq (local.get $v2) (local.get $close)))
            (v128.or (i8x16.eq (local.get $v3) (local.get $open)) (i8x16.eq (local.get $v3) (local.get $close)))))
        ;; Escaped bytes: the byte after a run of backslashes of odd length. A run starting at an even
        ;; place carried through by an add ends (at its first byte after) at an odd place when it is
        ;; odd, and one starting at an odd place at an even one. A run that goes on from the last
        ;; block starts at place 0 here with the parity of its real start (a block starts at an even
        ;; place), and one that ended with the last block escapes place 0 when it started at an odd place.
        (local.set $first (i64.and (local.get $backslashes) (i64.const 1)))
        (local.set $starts
          (i64.and (local.get $backslashes)
            (i64.xor
              (i64.or (i64.shl (local.get $backslashes) (i64.const 1)) (i64.extend_i32_u (i64.ne (local.get $run) (i64.const 0))))
              (i64.const -1))))
        (local.set $evenStarts
          (i64.or (i64.and (local.get $starts) (i64.const 0x5555555555555555))
            (i64.and (local.get $first) (i64.extend_i32_u (i64.eq (local.get $run) (i64.const 1))))))
        (local.set $oddStarts
          (i64.or (i64.and (local.get $starts) (i64.const 0xaaaaaaaaaaaaaaaa))
            (i64.and (local.get $first) (i64.extend_i32_u (i64.eq (local.get $run) (i64.const 2))))))
        (local.set $notBackslashes (i64.xor (local.get $backslashes) (i64.const -1)))
        (local.set $escaped
          (i64.or
            (i64.or
              (i64.and
                (i64.and (i64.add (local.get $backslashes) (local.get $evenStarts)) (local.get $notBackslashes))
                (i64.const 0xaaaaaaaaaaaaaaaa))
              (i64.and
                (i64.and (i64.add (local.get $backslashes) (local.get $oddStarts)) (local.get $notBackslashes))
                (i64.const 0x5555555555555555)))
            (i64.and
              (i64.xor (local.get $first) (i64.const 1))
              (i64.extend_i32_u (i64.eq (local.get $run) (i64.const 2))))))
        ;; The run this block ends in, if it does: its start is after the last byte that is no backslash.
        (local.set $run
          (if (result i64) (i64.eqz (i64.shr_u (local.get $backslashes) (i64.const 63)))
            (then (i64.const 0))
            (else
              (if (result i64) (i64.eqz (local.get $notBackslashes))
                (then (select (local.get $run) (i64.const 1) (i64.ne (local.get $run) (i64.const 0))))
                (else
                  (i64.add (i64.const 1)
                    (i64.and (i64.sub (i64.const 64) (i64.clz (local.get $notBackslashes))) (i64.const 1))))))))
        ;; In a string: every byte from a quote that is not escaped up to the next one, as a prefix XOR.
        (local.set $x (i64.and (local.get $quotes) (i64.xor (local.get $escaped) (i64.const -1))))
        (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 1))))
        (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 2))))
        (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 4))))
        (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 8))))
        (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 16))))
        (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 32))))
        (local.set $inString (i64.xor (local.get $x) (local.get $stringCarry)))
        (local.set $stringCarry (i64.shr_s (local.get $inString) (i64.const 63)))
        (local.set $brackets
          (i64.and (local.get $brackets)
            (i64.xor (i64.or (local.get $inString) (local.get $escaped)) (i64.const -1))))
        (if (i64.ne (local.get $brackets) (i64.const 0))
          (then
            (loop $bits
              (local.set $pos
                (i32.add (i32.sub (local.get $i) (local.get $base)) (i32.wrap_i64 (i64.ctz (local.get $brackets)))))
              (if (i32.ge_u (local.get $n) (local.get $max)) (then (return (i32.const -1))))
              (i32.store (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))) (local.get $pos))
              (local.set $n (i32.add (local.get $n) (i32.const 1)))
              (local.set $brackets
                (i64.and (local.get $brackets) (i64.sub (local.get $brackets) (i64.const 1))))
              (br_if $bits (i64.ne (local.get $brackets) (i64.const 0))))))
        (local.set $i (i32.add (local.get $i) (i32.const 64)))
        (br $blocks)))
    (local.get $n))

  (func $mask (param $a v128) (param $b v128) (param $c v128) (param $d v128) (result i64)
    (i64.or
      (i64.or
        (i64.extend_i32_u (i8x16.bitmask (local.get $a)))
        (i64.shl (i64.extend_i32_u (i8x16.bitmask (local.get $b))) (i64.const 16)))
      (i64.or
        (i64.shl (i64.extend_i32_u (i8x16.bitmask (local.get $c))) (i64.const 32))
        (i64.shl (i64.extend_i32_u (i8x16.bitmask (local.get $d))) (i64.const 48))))))
