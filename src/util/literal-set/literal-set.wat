;; A search for up to eight literals at once (WebAssembly SIMD, in the manner of Hyperscan's
;; "Teddy"), 32 bytes a turn. Each literal is a bucket (a bit) and has a window of two of its
;; bytes; a byte b at window place k passes the buckets lo_k[b & 15] & hi_k[b >> 4]. With one
;; literal a bucket, a position whose two bytes pass a bucket holds that literal's window exactly.
;; A turn where some position passes is then checked here, each such literal whole: most such turns
;; hold no literal, and a return to JavaScript for each costs more than the check.
;; Layout: the tables at 0 (lo_0 hi_0 lo_1 hi_1, 16 bytes each); the buckets each byte of
;; a turn passed at 96 (32 bytes); at 128 each literal's window start, length and the offset of its
;; bytes (three i32s a literal); its bytes from 256; the body from `base`, followed by at least 33
;; zero bytes.
(module
  (memory (export "memory") 1)
  ;; Where a literal lies whole in the body (`base` to `end`, memory offsets), found in the first turn
  ;; that holds one; -1 when none does.
  (func (export "search") (param $base i32) (param $end i32) (result i32)
    (local $lo0 v128) (local $hi0 v128) (local $lo1 v128) (local $hi1 v128)
    (local $nibble v128) (local $v v128)
    (local $first v128) (local $second v128)
    (local $at i32) (local $lanes i32) (local $lane i32) (local $buckets i32) (local $literal i32)
    (local $start i32) (local $length i32) (local $bytes i32) (local $j i32)
    (local.set $at (local.get $base))
    (local.set $lo0 (v128.load (i32.const 0)))
    (local.set $hi0 (v128.load (i32.const 16)))
    (local.set $lo1 (v128.load (i32.const 32)))
    (local.set $hi1 (v128.load (i32.const 48)))
    (local.set $nibble (i8x16.splat (i32.const 15)))
    (block $done
      (loop $turns
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        ;; Bytes at..at+15, each with the byte after it.
        (local.set $v (v128.load (local.get $at)))
        (local.set $first
          (v128.and (i8x16.swizzle (local.get $lo0) (v128.and (local.get $v) (local.get $nibble)))
                    (i8x16.swizzle (local.get $hi0) (i8x16.shr_u (local.get $v) (i32.const 4)))))
        (local.set $v (v128.load offset=1 (local.get $at)))
        (local.set $first
          (v128.and (local.get $first)
            (v128.and (i8x16.swizzle (local.get $lo1) (v128.and (local.get $v) (local.get $nibble)))
                      (i8x16.swizzle (local.get $hi1) (i8x16.shr_u (local.get $v) (i32.const 4))))))
        ;; Bytes at+16..at+31 the same way.
        (local.set $v (v128.load offset=16 (local.get $at)))
        (local.set $second
          (v128.and (i8x16.swizzle (local.get $lo0) (v128.and (local.get $v) (local.get $nibble)))
                    (i8x16.swizzle (local.get $hi0) (i8x16.shr_u (local.get $v) (i32.const 4)))))
        (local.set $v (v128.load offset=17 (local.get $at)))
        (local.set $second
          (v128.and (local.get $second)
            (v128.and (i8x16.swizzle (local.get $lo1) (v128.and (local.get $v) (local.get $nibble)))
                      (i8x16.swizzle (local.get $hi1) (i8x16.shr_u (local.get $v) (i32.const 4))))))
        (if (v128.any_true (v128.or (local.get $first) (local.get $second)))
          (then
            (v128.store (i32.const 96) (local.get $first))
            (v128.store (i32.const 112) (local.get $second))
            (local.set $lanes
              (i32.or (i8x16.bitmask (i8x16.ne (local.get $first) (v128.const i64x2 0 0)))
                      (i32.shl (i8x16.bitmask (i8x16.ne (local.get $second) (v128.const i64x2 0 0)))
                               (i32.const 16))))
            (loop $lanes
              (local.set $lane (i32.ctz (local.get $lanes)))
              (local.set $buckets (i32.load8_u offset=96 (local.get $lane)))
              (loop $buckets
                (local.set $literal (i32.mul (i32.ctz (local.get $buckets)) (i32.const 12)))
                (local.set $start
                  (i32.sub (i32.add (local.get $at) (local.get $lane))
                           (i32.load offset=128 (local.get $literal))))
                (local.set $length (i32.load offset=132 (local.get $literal)))
                (if (i32.and (i32.ge_u (local.get $start) (local.get $base))
                             (i32.le_u (i32.add (local.get $start) (local.get $length)) (local.get $end)))
                  (then
                    (local.set $bytes (i32.load offset=136 (local.get $literal)))
                    (local.set $j (i32.const 0))
                    (block $differs
                      (loop $byte
                        (br_if $differs
                          (i32.ne (i32.load8_u (i32.add (local.get $start) (local.get $j)))
                                  (i32.load8_u (i32.add (local.get $bytes) (local.get $j)))))
                        (local.set $j (i32.add (local.get $j) (i32.const 1)))
                        (br_if $byte (i32.lt_u (local.get $j) (local.get $length))))
                      (return (local.get $start)))))
                (local.set $buckets (i32.and (local.get $buckets) (i32.sub (local.get $buckets) (i32.const 1))))
                (br_if $buckets (local.get $buckets)))
              (local.set $lanes (i32.and (local.get $lanes) (i32.sub (local.get $lanes) (i32.const 1))))
              (br_if $lanes (local.get $lanes)))))
        (local.set $at (i32.add (local.get $at) (i32.const 32)))
        (br $turns)))
    (i32.const -1)))
