;; The record scanner of record-scan.ts (scanDocument), over bytes in WebAssembly: the same
;; grammar, the same gap and the same fields, with strings skipped 16 bytes at a time (SIMD).
;; record-scan-wasm.ts loads it; `npm run build:wasm` assembles it into record-scan.wasm, and
;; test/unit/ingest/record-scan-wasm.test.ts checks that the committed binary is this text.
;;
;; Memory: bytes [0, 65536) hold the nesting stack (deeper documents return -2, and the caller
;; scans them in JavaScript). The caller writes the document at `in` (length `len`) followed by
;; 32 zero bytes, which no token accepts, so no read past the document finds anything. Each
;; record found is 12 little-endian i32 at `out` (at most `cap` of them):
;;   start, end, eventTime start, end, eventSource start, end, eventCategory start, end,
;;   managementEvent (0 absent or not a boolean, 1 true, 2 false), flags (1 escaped, 2 duplicate
;;   key, 4 eventSource the same bytes as the previous record's, 8 eventCategory the same),
;;   eventTime's day YYYYMMDD when its text has the shape DDDD-DD-DDTDD:DD:DDZ (else -1), and its HHMMSS
;; offsets relative to `in`; a field's start is -1 when the field is absent, not a string, or escaped.
;;
;; scan returns the number of records, -1 for anything scanRecords rejects (the caller then lets
;; JSON.parse say what is wrong), or -2 when the JavaScript scanner must decide: a top-level key
;; written with an escape (it must be decoded to tell `Records`), nesting deeper than 65,536, or
;; more records than `cap`.
(module
  (memory (export "memory") 2)
  ;; The document's end (absolute) and the backslash escapes seen so far.
  (global $end (mut i32) (i32.const 0))
  (global $esc (mut i32) (i32.const 0))
  (global $quotes v128 (v128.const i8x16 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22))
  (global $backslashes v128 (v128.const i8x16 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c))

  ;; Index of the first byte at or after i that is not JSON whitespace (space, LF, CR, tab).
  (func $ws (param $i i32) (result i32)
    (local $c i32)
    (block $done
      (loop $next
        (local.set $c (i32.load8_u (local.get $i)))
        (br_if $done (i32.gt_u (local.get $c) (i32.const 32)))
        ;; bits 9, 10, 13 and 32 of 0x1_0000_2600
        (br_if $done
          (i64.eqz
            (i64.and
              (i64.shr_u (i64.const 0x100002600) (i64.extend_i32_u (local.get $c)))
              (i64.const 1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $i))

  (func $isHex (param $c i32) (result i32)
    (i32.or
      (i32.lt_u (i32.sub (local.get $c) (i32.const 0x30)) (i32.const 10))
      (i32.lt_u (i32.sub (i32.or (local.get $c) (i32.const 0x20)) (i32.const 0x61)) (i32.const 6))))


  ;; i is at an opening quote: the index after the closing one, or -1. Counts escapes in $esc.
  (func $str (param $i i32) (result i32)
    (local $p i32) (local $q i32) (local $m i32) (local $c i32) (local $v v128)
    (local.set $p (i32.add (local.get $i) (i32.const 1)))
    (loop $next
      (if (i32.ge_u (local.get $p) (global.get $end)) (then (return (i32.const -1))))
      (local.set $v (v128.load align=1 (local.get $p)))
      (local.set $m
        (i8x16.bitmask
          (v128.or
            (i8x16.eq (local.get $v) (global.get $quotes))
            (i8x16.eq (local.get $v) (global.get $backslashes)))))
      (if (i32.eqz (local.get $m))
        (then
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (br $next)))
      (local.set $q (i32.add (local.get $p) (i32.ctz (local.get $m))))
      (if (i32.ge_u (local.get $q) (global.get $end)) (then (return (i32.const -1))))
      (if (i32.eq (i32.load8_u (local.get $q)) (i32.const 0x22))
        (then (return (i32.add (local.get $q) (i32.const 1)))))
      ;; A backslash: one of \" \\ \/ \b \f \n \r \t \uXXXX.
      (global.set $esc (i32.add (global.get $esc) (i32.const 1)))
      (local.set $c (i32.load8_u offset=1 (local.get $q)))
      (if (i32.eq (local.get $c) (i32.const 0x75))
        (then
          (if (i32.eqz
                (i32.and
                  (i32.and (call $isHex (i32.load8_u offset=2 (local.get $q)))
                           (call $isHex (i32.load8_u offset=3 (local.get $q))))
                  (i32.and (call $isHex (i32.load8_u offset=4 (local.get $q)))
                           (call $isHex (i32.load8_u offset=5 (local.get $q))))))
            (then (return (i32.const -1))))
          (local.set $p (i32.add (local.get $q) (i32.const 6))))
        (else
          (if (i32.eqz
                (i32.or
                  (i32.or
                    (i32.or (i32.eq (local.get $c) (i32.const 0x22)) (i32.eq (local.get $c) (i32.const 0x5c)))
                    (i32.or (i32.eq (local.get $c) (i32.const 0x2f)) (i32.eq (local.get $c) (i32.const 0x62))))
                  (i32.or
                    (i32.or (i32.eq (local.get $c) (i32.const 0x66)) (i32.eq (local.get $c) (i32.const 0x6e)))
                    (i32.or (i32.eq (local.get $c) (i32.const 0x72)) (i32.eq (local.get $c) (i32.const 0x74))))))
            (then (return (i32.const -1))))
          (local.set $p (i32.add (local.get $q) (i32.const 2)))))
      (br $next))
    (unreachable))

  ;; i is at a number's first character: the index after it, or -1.
  ;; -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
  (func $num (param $i i32) (result i32)
    (local $c i32)
    (local.set $c (i32.load8_u (local.get $i)))
    (if (i32.eq (local.get $c) (i32.const 0x2d))
      (then
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $c (i32.load8_u (local.get $i)))))
    (if (i32.eq (local.get $c) (i32.const 0x30))
      (then
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $c (i32.load8_u (local.get $i))))
      (else
        (if (i32.lt_u (i32.sub (local.get $c) (i32.const 0x31)) (i32.const 9))
          (then
            (loop $digits
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (local.set $c (i32.load8_u (local.get $i)))
              (br_if $digits (i32.lt_u (i32.sub (local.get $c) (i32.const 0x30)) (i32.const 10)))))
          (else (return (i32.const -1))))))
    (if (i32.eq (local.get $c) (i32.const 0x2e))
      (then
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $c (i32.load8_u (local.get $i)))
        (if (i32.eqz (i32.lt_u (i32.sub (local.get $c) (i32.const 0x30)) (i32.const 10))) (then (return (i32.const -1))))
        (loop $fraction
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (local.set $c (i32.load8_u (local.get $i)))
          (br_if $fraction (i32.lt_u (i32.sub (local.get $c) (i32.const 0x30)) (i32.const 10))))))
    (if (i32.eq (i32.or (local.get $c) (i32.const 0x20)) (i32.const 0x65))
      (then
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $c (i32.load8_u (local.get $i)))
        (if (i32.or (i32.eq (local.get $c) (i32.const 0x2b)) (i32.eq (local.get $c) (i32.const 0x2d)))
          (then
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (local.set $c (i32.load8_u (local.get $i)))))
        (if (i32.eqz (i32.lt_u (i32.sub (local.get $c) (i32.const 0x30)) (i32.const 10))) (then (return (i32.const -1))))
        (loop $exponent
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (local.set $c (i32.load8_u (local.get $i)))
          (br_if $exponent (i32.lt_u (i32.sub (local.get $c) (i32.const 0x30)) (i32.const 10))))))
    (local.get $i))

  ;; Which extracted field the raw key at [from, from + n) names: 1 eventTime, 2 eventSource,
  ;; 4 eventCategory, 8 managementEvent, or 0. Constants are the keys' bytes, little-endian.
  (func $fieldOf (param $from i32) (param $n i32) (result i32)
    (if (i32.eq (local.get $n) (i32.const 9))
      (then
        (return
          (select (i32.const 1) (i32.const 0)
            (i32.and
              (i64.eq (i64.load align=1 (local.get $from)) (i64.const 7883925481733846629)) ;; "eventTim"
              (i32.eq (i32.load8_u offset=8 (local.get $from)) (i32.const 0x65)))))))   ;; "e"
    (if (i32.eq (local.get $n) (i32.const 11))
      (then
        (return
          (select (i32.const 2) (i32.const 0)
            (i32.and
              (i64.eq (i64.load align=1 (local.get $from)) (i64.const 8462073984385906277)) ;; "eventSou"
              (i32.eq (i32.load offset=7 align=1 (local.get $from)) (i32.const 1701016181))))))) ;; "urce"
    (if (i32.eq (local.get $n) (i32.const 13))
      (then
        (return
          (select (i32.const 4) (i32.const 0)
            (i32.and
              (i64.eq (i64.load align=1 (local.get $from)) (i64.const 8386058148487984741)) ;; "eventCat"
              (i64.eq (i64.load offset=5 align=1 (local.get $from)) (i64.const 8751179515808735555)))))))  ;; "Category"
    (if (i32.eq (local.get $n) (i32.const 15))
      (then
        (return
          (select (i32.const 8) (i32.const 0)
            (i32.and
              (i64.eq (i64.load align=1 (local.get $from)) (i64.const 7308609264982843757)) ;; "manageme"
              (i64.eq (i64.load offset=7 align=1 (local.get $from)) (i64.const 8389754714483617381))))))) ;; "entEvent"
    (i32.const 0))

;; 1 when the bytes at [a, aEnd) and [b, bEnd) (offsets from $in; -1: no field) are the same.
  (func $same (param $in i32) (param $a i32) (param $aEnd i32) (param $b i32) (param $bEnd i32) (result i32)
    (local $n i32) (local $k i32)
    (if (i32.or (i32.lt_s (local.get $a) (i32.const 0)) (i32.lt_s (local.get $b) (i32.const 0)))
      (then (return (i32.const 0))))
    (local.set $n (i32.sub (local.get $aEnd) (local.get $a)))
    (if (i32.ne (local.get $n) (i32.sub (local.get $bEnd) (local.get $b))) (then (return (i32.const 0))))
    (local.set $a (i32.add (local.get $a) (local.get $in)))
    (local.set $b (i32.add (local.get $b) (local.get $in)))
    (block $differ
      (loop $next
        (if (i32.ge_u (local.get $k) (local.get $n)) (then (return (i32.const 1))))
        (br_if $differ
          (i32.ne (i32.load8_u (i32.add (local.get $a) (local.get $k)))
                  (i32.load8_u (i32.add (local.get $b) (local.get $k)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next)))
    (i32.const 0))

  ;; The first place at or after `from` (offsets from $in) where the $n bytes at address 0 occur in
  ;; the document of the last scan, or -1. Run after scan (its stack at address 0 is free then):
  ;; 16 candidate places at a time, those whose first and last bytes match (SIMD), then compared.
  (func (export "find") (param $in i32) (param $len i32) (param $n i32) (param $from i32) (result i32)
    (local $p i32) (local $limit i32) (local $m i32) (local $q i32) (local $k i32)
    (local $first v128) (local $last v128)
    (if (i32.eqz (local.get $n)) (then (return (i32.const -1))))
    (local.set $first (i8x16.splat (i32.load8_u (i32.const 0))))
    (local.set $last (i8x16.splat (i32.load8_u (i32.sub (local.get $n) (i32.const 1)))))
    (local.set $p (i32.add (local.get $in) (local.get $from)))
    (local.set $limit (i32.sub (i32.add (local.get $in) (local.get $len)) (local.get $n)))
    (loop $block
      (if (i32.gt_s (local.get $p) (local.get $limit)) (then (return (i32.const -1))))
      (local.set $m
        (i8x16.bitmask
          (v128.and
            (i8x16.eq (v128.load align=1 (local.get $p)) (local.get $first))
            (i8x16.eq
              (v128.load align=1 (i32.sub (i32.add (local.get $p) (local.get $n)) (i32.const 1)))
              (local.get $last)))))
      (block $none
        (loop $candidate
          (br_if $none (i32.eqz (local.get $m)))
          (local.set $q (i32.add (local.get $p) (i32.ctz (local.get $m))))
          (if (i32.gt_s (local.get $q) (local.get $limit)) (then (return (i32.const -1))))
          (local.set $k (i32.const 0))
          (block $differ
            (loop $byte
              (if (i32.ge_u (local.get $k) (local.get $n))
                (then (return (i32.sub (local.get $q) (local.get $in)))))
              (br_if $differ
                (i32.ne (i32.load8_u (i32.add (local.get $q) (local.get $k))) (i32.load8_u (local.get $k))))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br $byte)))
          (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
          (br $candidate)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $block))
    (unreachable))

;; The two decimal digits at address $a as a number, or 10000 when either is not a digit.
  (func $d2 (param $a i32) (result i32)
    (local $x i32) (local $y i32)
    (local.set $x (i32.sub (i32.load8_u (local.get $a)) (i32.const 0x30)))
    (local.set $y (i32.sub (i32.load8_u offset=1 (local.get $a)) (i32.const 0x30)))
    (if (result i32) (i32.and (i32.lt_u (local.get $x) (i32.const 10)) (i32.lt_u (local.get $y) (i32.const 10)))
      (then (i32.add (i32.mul (local.get $x) (i32.const 10)) (local.get $y)))
      (else (i32.const 10000))))

  ;; An eventTime value at [s, e) (offsets from $in) of the shape DDDD-DD-DDTDD:DD:DDZ (D a digit;
  ;; ranges unchecked): its day YYYYMMDD and, in $hms, HHMMSS; -1 for any other text.
  (global $hms (mut i32) (i32.const 0))
  (func $timeDay (param $in i32) (param $s i32) (param $e i32) (result i32)
    (local $a i32) (local $hi i32) (local $lo i32) (local $mo i32) (local $d i32) (local $h i32) (local $mi i32) (local $sec i32)
    (if (i32.or (i32.lt_s (local.get $s) (i32.const 0)) (i32.ne (i32.sub (local.get $e) (local.get $s)) (i32.const 20)))
      (then (return (i32.const -1))))
    (local.set $a (i32.add (local.get $in) (local.get $s)))
    (if (i32.eqz
          (i32.and
            (i32.and
              (i32.and (i32.eq (i32.load8_u offset=4 (local.get $a)) (i32.const 0x2d))     ;; -
                       (i32.eq (i32.load8_u offset=7 (local.get $a)) (i32.const 0x2d)))    ;; -
              (i32.and (i32.eq (i32.load8_u offset=10 (local.get $a)) (i32.const 0x54))    ;; T
                       (i32.eq (i32.load8_u offset=13 (local.get $a)) (i32.const 0x3a))))  ;; :
            (i32.and (i32.eq (i32.load8_u offset=16 (local.get $a)) (i32.const 0x3a))      ;; :
                     (i32.eq (i32.load8_u offset=19 (local.get $a)) (i32.const 0x5a)))))   ;; Z
      (then (return (i32.const -1))))
    (local.set $hi (call $d2 (local.get $a)))
    (local.set $lo (call $d2 (i32.add (local.get $a) (i32.const 2))))
    (local.set $mo (call $d2 (i32.add (local.get $a) (i32.const 5))))
    (local.set $d (call $d2 (i32.add (local.get $a) (i32.const 8))))
    (local.set $h (call $d2 (i32.add (local.get $a) (i32.const 11))))
    (local.set $mi (call $d2 (i32.add (local.get $a) (i32.const 14))))
    (local.set $sec (call $d2 (i32.add (local.get $a) (i32.const 17))))
    (if (i32.ge_u
          (i32.or (i32.or (i32.or (local.get $hi) (local.get $lo)) (i32.or (local.get $mo) (local.get $d)))
                  (i32.or (i32.or (local.get $h) (local.get $mi)) (local.get $sec)))
          (i32.const 128))  ;; a 10000 among them (all others are below 100)
      (then (return (i32.const -1))))
    (global.set $hms
      (i32.add (i32.add (i32.mul (local.get $h) (i32.const 10000)) (i32.mul (local.get $mi) (i32.const 100))) (local.get $sec)))
    (i32.add
      (i32.add (i32.mul (i32.add (i32.mul (local.get $hi) (i32.const 100)) (local.get $lo)) (i32.const 10000))
               (i32.mul (local.get $mo) (i32.const 100)))
      (local.get $d)))

  (func (export "scan") (param $in i32) (param $len i32) (param $out i32) (param $cap i32) (result i32)
    (local $i i32) (local $c i32) (local $sp i32) (local $end i32) (local $open i32)
    (local $expectKey i32) (local $recordsKey i32) (local $field i32) (local $f i32)
    (local $collecting i32) (local $valid i32) (local $count i32)
    (local $recStart i32) (local $recEsc i32)
    (local $tS i32) (local $tE i32) (local $sS i32) (local $sE i32) (local $cS i32) (local $cE i32)
    (local $mgmt i32) (local $seen i32) (local $dup i32)
    (local $before i32) (local $e i32) (local $kind i32) (local $vS i32) (local $vE i32) (local $rec i32)
    (local $pS i32) (local $pE i32) (local $pcS i32) (local $pcE i32) (local $flags i32)
    (local $m i32) (local $v v128)
    (local.set $end (i32.add (local.get $in) (local.get $len)))
    (global.set $end (local.get $end))
    (global.set $esc (i32.const 0))
    (local.set $pS (i32.const -1))
    (local.set $pcS (i32.const -1))
    (local.set $i (local.get $in))
    (local.set $c (i32.load8_u (local.get $i)))
    (if (i32.le_u (local.get $c) (i32.const 32))
      (then
        (local.set $i (call $ws (local.get $i)))
        (local.set $c (i32.load8_u (local.get $i)))))
    (if (i32.ne (local.get $c) (i32.const 0x7b)) (then (return (i32.const -1))))
    (loop $main
      ;; A member's key ("key", whitespace, ":", whitespace), then its value.
      (if (local.get $expectKey)
        (then
          (local.set $expectKey (i32.const 0))
          (if (i32.ne (local.get $c) (i32.const 0x22)) (then (return (i32.const -1))))
          (local.set $before (global.get $esc))
          ;; Most strings close within 16 bytes, before any backslash: found here, without a call.
          (local.set $m
            (i8x16.bitmask
              (v128.or
                (i8x16.eq (local.tee $v (v128.load offset=1 align=1 (local.get $i))) (global.get $quotes))
                (i8x16.eq (local.get $v) (global.get $backslashes)))))
          (local.set $e
            (if (result i32)
              (i32.and
                (i32.ne (local.get $m) (i32.const 0))
                (i32.eq (i32.load8_u offset=1 (i32.add (local.get $i) (i32.ctz (local.get $m)))) (i32.const 0x22)))
              (then (i32.add (i32.add (local.get $i) (i32.ctz (local.get $m))) (i32.const 2)))
              (else (call $str (local.get $i)))))
          (if (i32.lt_s (local.get $e) (i32.const 0)) (then (return (i32.const -1))))
          (if (i32.eq (local.get $sp) (i32.const 3))
            (then
              (if (local.get $collecting)
                (then
                  (local.set $field
                    (call $fieldOf
                      (i32.add (local.get $i) (i32.const 1))
                      (i32.sub (i32.sub (local.get $e) (local.get $i)) (i32.const 2)))))))
            (else
              (if (i32.eq (local.get $sp) (i32.const 1))
                (then
                  (if (i32.ne (global.get $esc) (local.get $before)) (then (return (i32.const -2))))
                  (local.set $recordsKey
                    (i32.and
                      (i32.eq (i32.sub (local.get $e) (local.get $i)) (i32.const 9))
                      (i32.and
                        (i32.eq (i32.load offset=1 align=1 (local.get $i)) (i32.const 1868784978)) ;; "Reco"
                        (i32.eq (i32.load offset=4 align=1 (local.get $i)) (i32.const 1935962735)))))))))  ;; "ords"
          (local.set $i (local.get $e))
          (if (i32.le_u (i32.load8_u (local.get $i)) (i32.const 32)) (then (local.set $i (call $ws (local.get $i)))))
          (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 0x3a)) (then (return (i32.const -1))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (local.set $c (i32.load8_u (local.get $i)))
          (if (i32.le_u (local.get $c) (i32.const 32))
            (then
              (local.set $i (call $ws (local.get $i)))
              (local.set $c (i32.load8_u (local.get $i)))))))
      ;; A value starts at i; c is its first byte.
      (if (i32.lt_u (local.get $sp) (i32.const 4))
        (then
          (if (i32.eq (local.get $sp) (i32.const 1))
            (then
              (if (local.get $recordsKey)
                (then
                  (local.set $recordsKey (i32.const 0))
                  (local.set $collecting (i32.eq (local.get $c) (i32.const 0x5b)))
                  (local.set $valid (local.get $collecting))
                  (local.set $count (i32.const 0)))))
            (else
              (if (i32.eq (local.get $sp) (i32.const 2))
                (then
                  (if (i32.and (local.get $collecting) (i32.ne (local.get $c) (i32.const 0x7b)))
                    (then
                      (local.set $collecting (i32.const 0))
                      (local.set $valid (i32.const 0)))))
                (else
                  (if (local.get $field)
                    (then
                      (local.set $f (local.get $field))
                      (local.set $field (i32.const 0))
                      (if (i32.and (local.get $seen) (local.get $f)) (then (local.set $dup (i32.const 1))))
                      (local.set $seen (i32.or (local.get $seen) (local.get $f)))
                      (if (i32.eq (local.get $f) (i32.const 8))
                        (then
                          (local.set $mgmt
                            (select (i32.const 1)
                              (select (i32.const 2) (i32.const 0) (i32.eq (local.get $c) (i32.const 0x66)))
                              (i32.eq (local.get $c) (i32.const 0x74)))))
                        (else
                          (local.set $vS (i32.const -1))
                          (local.set $vE (i32.const -1))
                          (if (i32.eq (local.get $c) (i32.const 0x22))
                            (then
                              (local.set $before (global.get $esc))
                              (local.set $e (call $str (local.get $i)))
                              (if (i32.lt_s (local.get $e) (i32.const 0)) (then (return (i32.const -1))))
                              (if (i32.eq (global.get $esc) (local.get $before))
                                (then
                                  (local.set $vS (i32.sub (i32.add (local.get $i) (i32.const 1)) (local.get $in)))
                                  (local.set $vE (i32.sub (i32.sub (local.get $e) (i32.const 1)) (local.get $in)))))
                              (local.set $i (local.get $e))
                              (local.set $c (i32.const -1)))) ;; consumed
                          (if (i32.eq (local.get $f) (i32.const 1))
                            (then (local.set $tS (local.get $vS)) (local.set $tE (local.get $vE)))
                            (else
                              (if (i32.eq (local.get $f) (i32.const 2))
                                (then (local.set $sS (local.get $vS)) (local.set $sE (local.get $vE)))
                                (else (local.set $cS (local.get $vS)) (local.set $cE (local.get $vE))))))))))))))))
      (if (i32.or (i32.eq (local.get $c) (i32.const 0x7b)) (i32.eq (local.get $c) (i32.const 0x5b)))
        (then
          (if (i32.ge_u (local.get $sp) (i32.const 65536)) (then (return (i32.const -2))))
          (if (i32.and (i32.eq (local.get $c) (i32.const 0x7b))
                       (i32.and (i32.eq (local.get $sp) (i32.const 2)) (local.get $collecting)))
            (then
              (local.set $recStart (local.get $i))
              (local.set $recEsc (global.get $esc))
              (local.set $tS (i32.const -1)) (local.set $tE (i32.const -1))
              (local.set $sS (i32.const -1)) (local.set $sE (i32.const -1))
              (local.set $cS (i32.const -1)) (local.set $cE (i32.const -1))
              (local.set $mgmt (i32.const 0))
              (local.set $seen (i32.const 0))
              (local.set $dup (i32.const 0))))
          ;; 1: in an object, 2: in an array
          (i32.store8 (local.get $sp) (select (i32.const 1) (i32.const 2) (i32.eq (local.get $c) (i32.const 0x7b))))
          (local.set $sp (i32.add (local.get $sp) (i32.const 1)))
          (local.set $open (local.get $c))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (local.set $c (i32.load8_u (local.get $i)))
          (if (i32.le_u (local.get $c) (i32.const 32))
            (then
              (local.set $i (call $ws (local.get $i)))
              (local.set $c (i32.load8_u (local.get $i)))))
          (if (i32.eq (local.get $open) (i32.const 0x7b))
            (then
              (if (i32.ne (local.get $c) (i32.const 0x7d))
                (then
                  (local.set $expectKey (i32.const 1))
                  (br $main))))
            (else
              (br_if $main (i32.ne (local.get $c) (i32.const 0x5d))))))
          ;; An empty container: i is at its closing bracket, which the loop below consumes.
        (else
          (if (i32.eq (local.get $c) (i32.const 0x22))
            (then
              ;; Most strings close within 16 bytes, before any backslash: found here, without a call.
              (local.set $m
                (i8x16.bitmask
                  (v128.or
                    (i8x16.eq (local.tee $v (v128.load offset=1 align=1 (local.get $i))) (global.get $quotes))
                    (i8x16.eq (local.get $v) (global.get $backslashes)))))
              (local.set $i
                (if (result i32)
                  (i32.and
                    (i32.ne (local.get $m) (i32.const 0))
                    (i32.eq (i32.load8_u offset=1 (i32.add (local.get $i) (i32.ctz (local.get $m)))) (i32.const 0x22)))
                  (then (i32.add (i32.add (local.get $i) (i32.ctz (local.get $m))) (i32.const 2)))
                  (else (call $str (local.get $i))))))
            (else
              (if (i32.eq (local.get $c) (i32.const 0x74))
                (then
                  (local.set $i
                    (select (i32.add (local.get $i) (i32.const 4)) (i32.const -1)
                      (i32.eq (i32.load align=1 (local.get $i)) (i32.const 1702195828))))) ;; "true"
                (else
                  (if (i32.eq (local.get $c) (i32.const 0x66))
                    (then
                      (local.set $i
                        (select (i32.add (local.get $i) (i32.const 5)) (i32.const -1)
                          (i32.and
                            (i32.eq (i32.load align=1 (local.get $i)) (i32.const 1936482662)) ;; "fals"
                            (i32.eq (i32.load8_u offset=4 (local.get $i)) (i32.const 0x65))))))
                    (else
                      (if (i32.eq (local.get $c) (i32.const 0x6e))
                        (then
                          (local.set $i
                            (select (i32.add (local.get $i) (i32.const 4)) (i32.const -1)
                              (i32.eq (i32.load align=1 (local.get $i)) (i32.const 1819047278))))) ;; "null"
                        (else
                          (if (i32.ne (local.get $c) (i32.const -1))
                            (then (local.set $i (call $num (local.get $i)))))))))))))
          (if (i32.lt_s (local.get $i) (i32.const 0)) (then (return (i32.const -1))))
          (local.set $i (local.get $i))
          (local.set $c (i32.load8_u (local.get $i)))
          (if (i32.le_u (local.get $c) (i32.const 32))
            (then
              (local.set $i (call $ws (local.get $i)))
              (local.set $c (i32.load8_u (local.get $i)))))))
      ;; After a value, at i (whitespace skipped, c its byte): close containers or go on.
      (loop $after
        (local.set $kind (i32.load8_u (i32.sub (local.get $sp) (i32.const 1))))
        (if (i32.eq (local.get $c) (i32.const 0x2c))
          (then
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (local.set $c (i32.load8_u (local.get $i)))
            (if (i32.le_u (local.get $c) (i32.const 32))
              (then
                (local.set $i (call $ws (local.get $i)))
                (local.set $c (i32.load8_u (local.get $i)))))
            (local.set $expectKey (i32.eq (local.get $kind) (i32.const 1)))
            (br $main)))
        (if (i32.ne (local.get $c) (select (i32.const 0x7d) (i32.const 0x5d) (i32.eq (local.get $kind) (i32.const 1))))
          (then (return (i32.const -1))))
        (if (i32.and (i32.eq (local.get $sp) (i32.const 3))
                     (i32.and (i32.eq (local.get $kind) (i32.const 1)) (local.get $collecting)))
          (then
            (if (i32.ge_u (local.get $count) (local.get $cap)) (then (return (i32.const -2))))
            (local.set $rec (i32.add (local.get $out) (i32.mul (local.get $count) (i32.const 48))))
            (i32.store offset=0 (local.get $rec) (i32.sub (local.get $recStart) (local.get $in)))
            (i32.store offset=4 (local.get $rec) (i32.sub (i32.add (local.get $i) (i32.const 1)) (local.get $in)))
            (i32.store offset=8 (local.get $rec) (local.get $tS))
            (i32.store offset=12 (local.get $rec) (local.get $tE))
            (i32.store offset=16 (local.get $rec) (local.get $sS))
            (i32.store offset=20 (local.get $rec) (local.get $sE))
            (i32.store offset=24 (local.get $rec) (local.get $cS))
            (i32.store offset=28 (local.get $rec) (local.get $cE))
            (i32.store offset=32 (local.get $rec) (local.get $mgmt))
            ;; flags: 1 escaped, 2 duplicate key, 4 eventSource as the previous record's, 8 eventCategory too
            (local.set $flags
              (i32.or
                (i32.ne (global.get $esc) (local.get $recEsc))
                (i32.shl (local.get $dup) (i32.const 1))))
            (if (call $same (local.get $in) (local.get $sS) (local.get $sE) (local.get $pS) (local.get $pE))
              (then (local.set $flags (i32.or (local.get $flags) (i32.const 4)))))
            (if (call $same (local.get $in) (local.get $cS) (local.get $cE) (local.get $pcS) (local.get $pcE))
              (then (local.set $flags (i32.or (local.get $flags) (i32.const 8)))))
            (i32.store offset=36 (local.get $rec) (local.get $flags))
            (i32.store offset=40 (local.get $rec) (call $timeDay (local.get $in) (local.get $tS) (local.get $tE)))
            (i32.store offset=44 (local.get $rec) (global.get $hms))
            (local.set $pS (local.get $sS))
            (local.set $pE (local.get $sE))
            (local.set $pcS (local.get $cS))
            (local.set $pcE (local.get $cE))
            (local.set $count (i32.add (local.get $count) (i32.const 1))))
          (else
            (if (i32.and (i32.eq (local.get $sp) (i32.const 2)) (local.get $collecting))
              (then (local.set $collecting (i32.const 0)))))) ;; the Records array is closed
        (local.set $sp (i32.sub (local.get $sp) (i32.const 1)))
        (if (i32.eqz (local.get $sp))
          (then
            ;; Only whitespace may follow the document.
            (if (i32.ne (call $ws (i32.add (local.get $i) (i32.const 1))) (local.get $end))
              (then (return (i32.const -1))))
            (return (select (local.get $count) (i32.const -1) (local.get $valid)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $c (i32.load8_u (local.get $i)))
        (if (i32.le_u (local.get $c) (i32.const 32))
          (then
            (local.set $i (call $ws (local.get $i)))
            (local.set $c (i32.load8_u (local.get $i)))))
        (br $after)))
    (unreachable)))
