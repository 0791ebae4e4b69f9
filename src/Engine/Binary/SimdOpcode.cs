namespace Sandbox.Engine.Binary;

/// <summary>
/// Sub-opcodes after the 0xFD prefix: the 236 fixed-width SIMD instructions of WebAssembly 2.0
/// (Spec 5.4.8 vector instructions), read as a u32 after the prefix. Gaps (0x9A, 0xA2, ...) are
/// unassigned. What each one pops, pushes and carries as immediates is in
/// <see cref="Internal.SimdTable"/>.
/// </summary>
public enum SimdOpcode : uint
{
    /// <summary><c>v128.load</c></summary>
    V128Load = 0x00,
    /// <summary><c>v128.load8x8_s</c></summary>
    V128Load8x8S = 0x01,
    /// <summary><c>v128.load8x8_u</c></summary>
    V128Load8x8U = 0x02,
    /// <summary><c>v128.load16x4_s</c></summary>
    V128Load16x4S = 0x03,
    /// <summary><c>v128.load16x4_u</c></summary>
    V128Load16x4U = 0x04,
    /// <summary><c>v128.load32x2_s</c></summary>
    V128Load32x2S = 0x05,
    /// <summary><c>v128.load32x2_u</c></summary>
    V128Load32x2U = 0x06,
    /// <summary><c>v128.load8_splat</c></summary>
    V128Load8Splat = 0x07,
    /// <summary><c>v128.load16_splat</c></summary>
    V128Load16Splat = 0x08,
    /// <summary><c>v128.load32_splat</c></summary>
    V128Load32Splat = 0x09,
    /// <summary><c>v128.load64_splat</c></summary>
    V128Load64Splat = 0x0A,
    /// <summary><c>v128.store</c></summary>
    V128Store = 0x0B,
    /// <summary><c>v128.const</c></summary>
    V128Const = 0x0C,
    /// <summary><c>i8x16.shuffle</c></summary>
    I8x16Shuffle = 0x0D,
    /// <summary><c>i8x16.swizzle</c></summary>
    I8x16Swizzle = 0x0E,
    /// <summary><c>i8x16.splat</c></summary>
    I8x16Splat = 0x0F,
    /// <summary><c>i16x8.splat</c></summary>
    I16x8Splat = 0x10,
    /// <summary><c>i32x4.splat</c></summary>
    I32x4Splat = 0x11,
    /// <summary><c>i64x2.splat</c></summary>
    I64x2Splat = 0x12,
    /// <summary><c>f32x4.splat</c></summary>
    F32x4Splat = 0x13,
    /// <summary><c>f64x2.splat</c></summary>
    F64x2Splat = 0x14,
    /// <summary><c>i8x16.extract_lane_s</c></summary>
    I8x16ExtractLaneS = 0x15,
    /// <summary><c>i8x16.extract_lane_u</c></summary>
    I8x16ExtractLaneU = 0x16,
    /// <summary><c>i8x16.replace_lane</c></summary>
    I8x16ReplaceLane = 0x17,
    /// <summary><c>i16x8.extract_lane_s</c></summary>
    I16x8ExtractLaneS = 0x18,
    /// <summary><c>i16x8.extract_lane_u</c></summary>
    I16x8ExtractLaneU = 0x19,
    /// <summary><c>i16x8.replace_lane</c></summary>
    I16x8ReplaceLane = 0x1A,
    /// <summary><c>i32x4.extract_lane</c></summary>
    I32x4ExtractLane = 0x1B,
    /// <summary><c>i32x4.replace_lane</c></summary>
    I32x4ReplaceLane = 0x1C,
    /// <summary><c>i64x2.extract_lane</c></summary>
    I64x2ExtractLane = 0x1D,
    /// <summary><c>i64x2.replace_lane</c></summary>
    I64x2ReplaceLane = 0x1E,
    /// <summary><c>f32x4.extract_lane</c></summary>
    F32x4ExtractLane = 0x1F,
    /// <summary><c>f32x4.replace_lane</c></summary>
    F32x4ReplaceLane = 0x20,
    /// <summary><c>f64x2.extract_lane</c></summary>
    F64x2ExtractLane = 0x21,
    /// <summary><c>f64x2.replace_lane</c></summary>
    F64x2ReplaceLane = 0x22,
    /// <summary><c>i8x16.eq</c></summary>
    I8x16Eq = 0x23,
    /// <summary><c>i8x16.ne</c></summary>
    I8x16Ne = 0x24,
    /// <summary><c>i8x16.lt_s</c></summary>
    I8x16LtS = 0x25,
    /// <summary><c>i8x16.lt_u</c></summary>
    I8x16LtU = 0x26,
    /// <summary><c>i8x16.gt_s</c></summary>
    I8x16GtS = 0x27,
    /// <summary><c>i8x16.gt_u</c></summary>
    I8x16GtU = 0x28,
    /// <summary><c>i8x16.le_s</c></summary>
    I8x16LeS = 0x29,
    /// <summary><c>i8x16.le_u</c></summary>
    I8x16LeU = 0x2A,
    /// <summary><c>i8x16.ge_s</c></summary>
    I8x16GeS = 0x2B,
    /// <summary><c>i8x16.ge_u</c></summary>
    I8x16GeU = 0x2C,
    /// <summary><c>i16x8.eq</c></summary>
    I16x8Eq = 0x2D,
    /// <summary><c>i16x8.ne</c></summary>
    I16x8Ne = 0x2E,
    /// <summary><c>i16x8.lt_s</c></summary>
    I16x8LtS = 0x2F,
    /// <summary><c>i16x8.lt_u</c></summary>
    I16x8LtU = 0x30,
    /// <summary><c>i16x8.gt_s</c></summary>
    I16x8GtS = 0x31,
    /// <summary><c>i16x8.gt_u</c></summary>
    I16x8GtU = 0x32,
    /// <summary><c>i16x8.le_s</c></summary>
    I16x8LeS = 0x33,
    /// <summary><c>i16x8.le_u</c></summary>
    I16x8LeU = 0x34,
    /// <summary><c>i16x8.ge_s</c></summary>
    I16x8GeS = 0x35,
    /// <summary><c>i16x8.ge_u</c></summary>
    I16x8GeU = 0x36,
    /// <summary><c>i32x4.eq</c></summary>
    I32x4Eq = 0x37,
    /// <summary><c>i32x4.ne</c></summary>
    I32x4Ne = 0x38,
    /// <summary><c>i32x4.lt_s</c></summary>
    I32x4LtS = 0x39,
    /// <summary><c>i32x4.lt_u</c></summary>
    I32x4LtU = 0x3A,
    /// <summary><c>i32x4.gt_s</c></summary>
    I32x4GtS = 0x3B,
    /// <summary><c>i32x4.gt_u</c></summary>
    I32x4GtU = 0x3C,
    /// <summary><c>i32x4.le_s</c></summary>
    I32x4LeS = 0x3D,
    /// <summary><c>i32x4.le_u</c></summary>
    I32x4LeU = 0x3E,
    /// <summary><c>i32x4.ge_s</c></summary>
    I32x4GeS = 0x3F,
    /// <summary><c>i32x4.ge_u</c></summary>
    I32x4GeU = 0x40,
    /// <summary><c>f32x4.eq</c></summary>
    F32x4Eq = 0x41,
    /// <summary><c>f32x4.ne</c></summary>
    F32x4Ne = 0x42,
    /// <summary><c>f32x4.lt</c></summary>
    F32x4Lt = 0x43,
    /// <summary><c>f32x4.gt</c></summary>
    F32x4Gt = 0x44,
    /// <summary><c>f32x4.le</c></summary>
    F32x4Le = 0x45,
    /// <summary><c>f32x4.ge</c></summary>
    F32x4Ge = 0x46,
    /// <summary><c>f64x2.eq</c></summary>
    F64x2Eq = 0x47,
    /// <summary><c>f64x2.ne</c></summary>
    F64x2Ne = 0x48,
    /// <summary><c>f64x2.lt</c></summary>
    F64x2Lt = 0x49,
    /// <summary><c>f64x2.gt</c></summary>
    F64x2Gt = 0x4A,
    /// <summary><c>f64x2.le</c></summary>
    F64x2Le = 0x4B,
    /// <summary><c>f64x2.ge</c></summary>
    F64x2Ge = 0x4C,
    /// <summary><c>v128.not</c></summary>
    V128Not = 0x4D,
    /// <summary><c>v128.and</c></summary>
    V128And = 0x4E,
    /// <summary><c>v128.andnot</c></summary>
    V128Andnot = 0x4F,
    /// <summary><c>v128.or</c></summary>
    V128Or = 0x50,
    /// <summary><c>v128.xor</c></summary>
    V128Xor = 0x51,
    /// <summary><c>v128.bitselect</c></summary>
    V128Bitselect = 0x52,
    /// <summary><c>v128.any_true</c></summary>
    V128AnyTrue = 0x53,
    /// <summary><c>v128.load8_lane</c></summary>
    V128Load8Lane = 0x54,
    /// <summary><c>v128.load16_lane</c></summary>
    V128Load16Lane = 0x55,
    /// <summary><c>v128.load32_lane</c></summary>
    V128Load32Lane = 0x56,
    /// <summary><c>v128.load64_lane</c></summary>
    V128Load64Lane = 0x57,
    /// <summary><c>v128.store8_lane</c></summary>
    V128Store8Lane = 0x58,
    /// <summary><c>v128.store16_lane</c></summary>
    V128Store16Lane = 0x59,
    /// <summary><c>v128.store32_lane</c></summary>
    V128Store32Lane = 0x5A,
    /// <summary><c>v128.store64_lane</c></summary>
    V128Store64Lane = 0x5B,
    /// <summary><c>v128.load32_zero</c></summary>
    V128Load32Zero = 0x5C,
    /// <summary><c>v128.load64_zero</c></summary>
    V128Load64Zero = 0x5D,
    /// <summary><c>f32x4.demote_f64x2_zero</c></summary>
    F32x4DemoteF64x2Zero = 0x5E,
    /// <summary><c>f64x2.promote_low_f32x4</c></summary>
    F64x2PromoteLowF32x4 = 0x5F,
    /// <summary><c>i8x16.abs</c></summary>
    I8x16Abs = 0x60,
    /// <summary><c>i8x16.neg</c></summary>
    I8x16Neg = 0x61,
    /// <summary><c>i8x16.popcnt</c></summary>
    I8x16Popcnt = 0x62,
    /// <summary><c>i8x16.all_true</c></summary>
    I8x16AllTrue = 0x63,
    /// <summary><c>i8x16.bitmask</c></summary>
    I8x16Bitmask = 0x64,
    /// <summary><c>i8x16.narrow_i16x8_s</c></summary>
    I8x16NarrowI16x8S = 0x65,
    /// <summary><c>i8x16.narrow_i16x8_u</c></summary>
    I8x16NarrowI16x8U = 0x66,
    /// <summary><c>f32x4.ceil</c></summary>
    F32x4Ceil = 0x67,
    /// <summary><c>f32x4.floor</c></summary>
    F32x4Floor = 0x68,
    /// <summary><c>f32x4.trunc</c></summary>
    F32x4Trunc = 0x69,
    /// <summary><c>f32x4.nearest</c></summary>
    F32x4Nearest = 0x6A,
    /// <summary><c>i8x16.shl</c></summary>
    I8x16Shl = 0x6B,
    /// <summary><c>i8x16.shr_s</c></summary>
    I8x16ShrS = 0x6C,
    /// <summary><c>i8x16.shr_u</c></summary>
    I8x16ShrU = 0x6D,
    /// <summary><c>i8x16.add</c></summary>
    I8x16Add = 0x6E,
    /// <summary><c>i8x16.add_sat_s</c></summary>
    I8x16AddSatS = 0x6F,
    /// <summary><c>i8x16.add_sat_u</c></summary>
    I8x16AddSatU = 0x70,
    /// <summary><c>i8x16.sub</c></summary>
    I8x16Sub = 0x71,
    /// <summary><c>i8x16.sub_sat_s</c></summary>
    I8x16SubSatS = 0x72,
    /// <summary><c>i8x16.sub_sat_u</c></summary>
    I8x16SubSatU = 0x73,
    /// <summary><c>f64x2.ceil</c></summary>
    F64x2Ceil = 0x74,
    /// <summary><c>f64x2.floor</c></summary>
    F64x2Floor = 0x75,
    /// <summary><c>i8x16.min_s</c></summary>
    I8x16MinS = 0x76,
    /// <summary><c>i8x16.min_u</c></summary>
    I8x16MinU = 0x77,
    /// <summary><c>i8x16.max_s</c></summary>
    I8x16MaxS = 0x78,
    /// <summary><c>i8x16.max_u</c></summary>
    I8x16MaxU = 0x79,
    /// <summary><c>f64x2.trunc</c></summary>
    F64x2Trunc = 0x7A,
    /// <summary><c>i8x16.avgr_u</c></summary>
    I8x16AvgrU = 0x7B,
    /// <summary><c>i16x8.extadd_pairwise_i8x16_s</c></summary>
    I16x8ExtaddPairwiseI8x16S = 0x7C,
    /// <summary><c>i16x8.extadd_pairwise_i8x16_u</c></summary>
    I16x8ExtaddPairwiseI8x16U = 0x7D,
    /// <summary><c>i32x4.extadd_pairwise_i16x8_s</c></summary>
    I32x4ExtaddPairwiseI16x8S = 0x7E,
    /// <summary><c>i32x4.extadd_pairwise_i16x8_u</c></summary>
    I32x4ExtaddPairwiseI16x8U = 0x7F,
    /// <summary><c>i16x8.abs</c></summary>
    I16x8Abs = 0x80,
    /// <summary><c>i16x8.neg</c></summary>
    I16x8Neg = 0x81,
    /// <summary><c>i16x8.q15mulr_sat_s</c></summary>
    I16x8Q15mulrSatS = 0x82,
    /// <summary><c>i16x8.all_true</c></summary>
    I16x8AllTrue = 0x83,
    /// <summary><c>i16x8.bitmask</c></summary>
    I16x8Bitmask = 0x84,
    /// <summary><c>i16x8.narrow_i32x4_s</c></summary>
    I16x8NarrowI32x4S = 0x85,
    /// <summary><c>i16x8.narrow_i32x4_u</c></summary>
    I16x8NarrowI32x4U = 0x86,
    /// <summary><c>i16x8.extend_low_i8x16_s</c></summary>
    I16x8ExtendLowI8x16S = 0x87,
    /// <summary><c>i16x8.extend_high_i8x16_s</c></summary>
    I16x8ExtendHighI8x16S = 0x88,
    /// <summary><c>i16x8.extend_low_i8x16_u</c></summary>
    I16x8ExtendLowI8x16U = 0x89,
    /// <summary><c>i16x8.extend_high_i8x16_u</c></summary>
    I16x8ExtendHighI8x16U = 0x8A,
    /// <summary><c>i16x8.shl</c></summary>
    I16x8Shl = 0x8B,
    /// <summary><c>i16x8.shr_s</c></summary>
    I16x8ShrS = 0x8C,
    /// <summary><c>i16x8.shr_u</c></summary>
    I16x8ShrU = 0x8D,
    /// <summary><c>i16x8.add</c></summary>
    I16x8Add = 0x8E,
    /// <summary><c>i16x8.add_sat_s</c></summary>
    I16x8AddSatS = 0x8F,
    /// <summary><c>i16x8.add_sat_u</c></summary>
    I16x8AddSatU = 0x90,
    /// <summary><c>i16x8.sub</c></summary>
    I16x8Sub = 0x91,
    /// <summary><c>i16x8.sub_sat_s</c></summary>
    I16x8SubSatS = 0x92,
    /// <summary><c>i16x8.sub_sat_u</c></summary>
    I16x8SubSatU = 0x93,
    /// <summary><c>f64x2.nearest</c></summary>
    F64x2Nearest = 0x94,
    /// <summary><c>i16x8.mul</c></summary>
    I16x8Mul = 0x95,
    /// <summary><c>i16x8.min_s</c></summary>
    I16x8MinS = 0x96,
    /// <summary><c>i16x8.min_u</c></summary>
    I16x8MinU = 0x97,
    /// <summary><c>i16x8.max_s</c></summary>
    I16x8MaxS = 0x98,
    /// <summary><c>i16x8.max_u</c></summary>
    I16x8MaxU = 0x99,
    /// <summary><c>i16x8.avgr_u</c></summary>
    I16x8AvgrU = 0x9B,
    /// <summary><c>i16x8.extmul_low_i8x16_s</c></summary>
    I16x8ExtmulLowI8x16S = 0x9C,
    /// <summary><c>i16x8.extmul_high_i8x16_s</c></summary>
    I16x8ExtmulHighI8x16S = 0x9D,
    /// <summary><c>i16x8.extmul_low_i8x16_u</c></summary>
    I16x8ExtmulLowI8x16U = 0x9E,
    /// <summary><c>i16x8.extmul_high_i8x16_u</c></summary>
    I16x8ExtmulHighI8x16U = 0x9F,
    /// <summary><c>i32x4.abs</c></summary>
    I32x4Abs = 0xA0,
    /// <summary><c>i32x4.neg</c></summary>
    I32x4Neg = 0xA1,
    /// <summary><c>i32x4.all_true</c></summary>
    I32x4AllTrue = 0xA3,
    /// <summary><c>i32x4.bitmask</c></summary>
    I32x4Bitmask = 0xA4,
    /// <summary><c>i32x4.extend_low_i16x8_s</c></summary>
    I32x4ExtendLowI16x8S = 0xA7,
    /// <summary><c>i32x4.extend_high_i16x8_s</c></summary>
    I32x4ExtendHighI16x8S = 0xA8,
    /// <summary><c>i32x4.extend_low_i16x8_u</c></summary>
    I32x4ExtendLowI16x8U = 0xA9,
    /// <summary><c>i32x4.extend_high_i16x8_u</c></summary>
    I32x4ExtendHighI16x8U = 0xAA,
    /// <summary><c>i32x4.shl</c></summary>
    I32x4Shl = 0xAB,
    /// <summary><c>i32x4.shr_s</c></summary>
    I32x4ShrS = 0xAC,
    /// <summary><c>i32x4.shr_u</c></summary>
    I32x4ShrU = 0xAD,
    /// <summary><c>i32x4.add</c></summary>
    I32x4Add = 0xAE,
    /// <summary><c>i32x4.sub</c></summary>
    I32x4Sub = 0xB1,
    /// <summary><c>i32x4.mul</c></summary>
    I32x4Mul = 0xB5,
    /// <summary><c>i32x4.min_s</c></summary>
    I32x4MinS = 0xB6,
    /// <summary><c>i32x4.min_u</c></summary>
    I32x4MinU = 0xB7,
    /// <summary><c>i32x4.max_s</c></summary>
    I32x4MaxS = 0xB8,
    /// <summary><c>i32x4.max_u</c></summary>
    I32x4MaxU = 0xB9,
    /// <summary><c>i32x4.dot_i16x8_s</c></summary>
    I32x4DotI16x8S = 0xBA,
    /// <summary><c>i32x4.extmul_low_i16x8_s</c></summary>
    I32x4ExtmulLowI16x8S = 0xBC,
    /// <summary><c>i32x4.extmul_high_i16x8_s</c></summary>
    I32x4ExtmulHighI16x8S = 0xBD,
    /// <summary><c>i32x4.extmul_low_i16x8_u</c></summary>
    I32x4ExtmulLowI16x8U = 0xBE,
    /// <summary><c>i32x4.extmul_high_i16x8_u</c></summary>
    I32x4ExtmulHighI16x8U = 0xBF,
    /// <summary><c>i64x2.abs</c></summary>
    I64x2Abs = 0xC0,
    /// <summary><c>i64x2.neg</c></summary>
    I64x2Neg = 0xC1,
    /// <summary><c>i64x2.all_true</c></summary>
    I64x2AllTrue = 0xC3,
    /// <summary><c>i64x2.bitmask</c></summary>
    I64x2Bitmask = 0xC4,
    /// <summary><c>i64x2.extend_low_i32x4_s</c></summary>
    I64x2ExtendLowI32x4S = 0xC7,
    /// <summary><c>i64x2.extend_high_i32x4_s</c></summary>
    I64x2ExtendHighI32x4S = 0xC8,
    /// <summary><c>i64x2.extend_low_i32x4_u</c></summary>
    I64x2ExtendLowI32x4U = 0xC9,
    /// <summary><c>i64x2.extend_high_i32x4_u</c></summary>
    I64x2ExtendHighI32x4U = 0xCA,
    /// <summary><c>i64x2.shl</c></summary>
    I64x2Shl = 0xCB,
    /// <summary><c>i64x2.shr_s</c></summary>
    I64x2ShrS = 0xCC,
    /// <summary><c>i64x2.shr_u</c></summary>
    I64x2ShrU = 0xCD,
    /// <summary><c>i64x2.add</c></summary>
    I64x2Add = 0xCE,
    /// <summary><c>i64x2.sub</c></summary>
    I64x2Sub = 0xD1,
    /// <summary><c>i64x2.mul</c></summary>
    I64x2Mul = 0xD5,
    /// <summary><c>i64x2.eq</c></summary>
    I64x2Eq = 0xD6,
    /// <summary><c>i64x2.ne</c></summary>
    I64x2Ne = 0xD7,
    /// <summary><c>i64x2.lt_s</c></summary>
    I64x2LtS = 0xD8,
    /// <summary><c>i64x2.gt_s</c></summary>
    I64x2GtS = 0xD9,
    /// <summary><c>i64x2.le_s</c></summary>
    I64x2LeS = 0xDA,
    /// <summary><c>i64x2.ge_s</c></summary>
    I64x2GeS = 0xDB,
    /// <summary><c>i64x2.extmul_low_i32x4_s</c></summary>
    I64x2ExtmulLowI32x4S = 0xDC,
    /// <summary><c>i64x2.extmul_high_i32x4_s</c></summary>
    I64x2ExtmulHighI32x4S = 0xDD,
    /// <summary><c>i64x2.extmul_low_i32x4_u</c></summary>
    I64x2ExtmulLowI32x4U = 0xDE,
    /// <summary><c>i64x2.extmul_high_i32x4_u</c></summary>
    I64x2ExtmulHighI32x4U = 0xDF,
    /// <summary><c>f32x4.abs</c></summary>
    F32x4Abs = 0xE0,
    /// <summary><c>f32x4.neg</c></summary>
    F32x4Neg = 0xE1,
    /// <summary><c>f32x4.sqrt</c></summary>
    F32x4Sqrt = 0xE3,
    /// <summary><c>f32x4.add</c></summary>
    F32x4Add = 0xE4,
    /// <summary><c>f32x4.sub</c></summary>
    F32x4Sub = 0xE5,
    /// <summary><c>f32x4.mul</c></summary>
    F32x4Mul = 0xE6,
    /// <summary><c>f32x4.div</c></summary>
    F32x4Div = 0xE7,
    /// <summary><c>f32x4.min</c></summary>
    F32x4Min = 0xE8,
    /// <summary><c>f32x4.max</c></summary>
    F32x4Max = 0xE9,
    /// <summary><c>f32x4.pmin</c></summary>
    F32x4Pmin = 0xEA,
    /// <summary><c>f32x4.pmax</c></summary>
    F32x4Pmax = 0xEB,
    /// <summary><c>f64x2.abs</c></summary>
    F64x2Abs = 0xEC,
    /// <summary><c>f64x2.neg</c></summary>
    F64x2Neg = 0xED,
    /// <summary><c>f64x2.sqrt</c></summary>
    F64x2Sqrt = 0xEF,
    /// <summary><c>f64x2.add</c></summary>
    F64x2Add = 0xF0,
    /// <summary><c>f64x2.sub</c></summary>
    F64x2Sub = 0xF1,
    /// <summary><c>f64x2.mul</c></summary>
    F64x2Mul = 0xF2,
    /// <summary><c>f64x2.div</c></summary>
    F64x2Div = 0xF3,
    /// <summary><c>f64x2.min</c></summary>
    F64x2Min = 0xF4,
    /// <summary><c>f64x2.max</c></summary>
    F64x2Max = 0xF5,
    /// <summary><c>f64x2.pmin</c></summary>
    F64x2Pmin = 0xF6,
    /// <summary><c>f64x2.pmax</c></summary>
    F64x2Pmax = 0xF7,
    /// <summary><c>i32x4.trunc_sat_f32x4_s</c></summary>
    I32x4TruncSatF32x4S = 0xF8,
    /// <summary><c>i32x4.trunc_sat_f32x4_u</c></summary>
    I32x4TruncSatF32x4U = 0xF9,
    /// <summary><c>f32x4.convert_i32x4_s</c></summary>
    F32x4ConvertI32x4S = 0xFA,
    /// <summary><c>f32x4.convert_i32x4_u</c></summary>
    F32x4ConvertI32x4U = 0xFB,
    /// <summary><c>i32x4.trunc_sat_f64x2_s_zero</c></summary>
    I32x4TruncSatF64x2SZero = 0xFC,
    /// <summary><c>i32x4.trunc_sat_f64x2_u_zero</c></summary>
    I32x4TruncSatF64x2UZero = 0xFD,
    /// <summary><c>f64x2.convert_low_i32x4_s</c></summary>
    F64x2ConvertLowI32x4S = 0xFE,
    /// <summary><c>f64x2.convert_low_i32x4_u</c></summary>
    F64x2ConvertLowI32x4U = 0xFF,}
