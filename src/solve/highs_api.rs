//! The HiGHS C API, declared by hand for the HiGHS that the build script compiles
//! (`src/build.rs`), behind one safe type, [`Highs`]. Every status HiGHS returns is
//! checked: an error status becomes a [`HighsError`], never a panic. This is the only
//! file of the crate with `unsafe` code.
#![allow(unsafe_code)]

use std::ffi::{CStr, CString, c_char, c_void};
use std::path::Path;
use std::ptr::NonNull;

/// HiGHS's integer type (32 bits unless HiGHS is built with `HIGHSINT64`, which the build
/// script does not do).
type HighsInt = i32;

const STATUS_ERROR: HighsInt = -1;
const MATRIX_ROWWISE: HighsInt = 2;
const SENSE_MINIMIZE: HighsInt = 1;
const SOLUTION_FEASIBLE: HighsInt = 2;

mod ffi {
    use super::{HighsInt, c_char, c_void};

    unsafe extern "C" {
        pub fn Highs_create() -> *mut c_void;
        pub fn Highs_destroy(highs: *mut c_void);
        pub fn Highs_run(highs: *mut c_void) -> HighsInt;
        pub fn Highs_clearSolver(highs: *mut c_void) -> HighsInt;
        pub fn Highs_zeroAllClocks(highs: *const c_void) -> HighsInt;
        pub fn Highs_readModel(highs: *mut c_void, filename: *const c_char) -> HighsInt;
        pub fn Highs_passModel(
            highs: *mut c_void,
            num_col: HighsInt,
            num_row: HighsInt,
            num_nz: HighsInt,
            q_num_nz: HighsInt,
            a_format: HighsInt,
            q_format: HighsInt,
            sense: HighsInt,
            offset: f64,
            col_cost: *const f64,
            col_lower: *const f64,
            col_upper: *const f64,
            row_lower: *const f64,
            row_upper: *const f64,
            a_start: *const HighsInt,
            a_index: *const HighsInt,
            a_value: *const f64,
            q_start: *const HighsInt,
            q_index: *const HighsInt,
            q_value: *const f64,
            integrality: *const HighsInt,
        ) -> HighsInt;
        pub fn Highs_setBoolOptionValue(
            highs: *mut c_void,
            option: *const c_char,
            value: HighsInt,
        ) -> HighsInt;
        pub fn Highs_setIntOptionValue(
            highs: *mut c_void,
            option: *const c_char,
            value: HighsInt,
        ) -> HighsInt;
        pub fn Highs_setDoubleOptionValue(
            highs: *mut c_void,
            option: *const c_char,
            value: f64,
        ) -> HighsInt;
        pub fn Highs_getIntInfoValue(
            highs: *const c_void,
            info: *const c_char,
            value: *mut HighsInt,
        ) -> HighsInt;
        pub fn Highs_getDoubleInfoValue(
            highs: *const c_void,
            info: *const c_char,
            value: *mut f64,
        ) -> HighsInt;
        pub fn Highs_getModelStatus(highs: *const c_void) -> HighsInt;
        pub fn Highs_getObjectiveValue(highs: *const c_void) -> f64;
        pub fn Highs_getNumCol(highs: *const c_void) -> HighsInt;
        pub fn Highs_getColByName(
            highs: *const c_void,
            name: *const c_char,
            col: *mut HighsInt,
        ) -> HighsInt;
        pub fn Highs_getSolution(
            highs: *const c_void,
            col_value: *mut f64,
            col_dual: *mut f64,
            row_value: *mut f64,
            row_dual: *mut f64,
        ) -> HighsInt;
        pub fn Highs_changeColCost(highs: *mut c_void, col: HighsInt, cost: f64) -> HighsInt;
        pub fn Highs_changeColBounds(
            highs: *mut c_void,
            col: HighsInt,
            lower: f64,
            upper: f64,
        ) -> HighsInt;
        pub fn Highs_changeColsBoundsBySet(
            highs: *mut c_void,
            num_set_entries: HighsInt,
            set: *const HighsInt,
            lower: *const f64,
            upper: *const f64,
        ) -> HighsInt;
        pub fn Highs_changeRowBounds(
            highs: *mut c_void,
            row: HighsInt,
            lower: f64,
            upper: f64,
        ) -> HighsInt;
    }
}

/// A call to HiGHS that failed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("HiGHS: {call} failed{}", detail_suffix(.detail))]
pub struct HighsError {
    /// The C API function (and option or info name, where one is involved).
    pub call: String,
    /// What went wrong, where more is known than the error status.
    pub detail: String,
}

fn detail_suffix(detail: &str) -> String {
    if detail.is_empty() {
        String::new()
    } else {
        format!(": {detail}")
    }
}

fn error(call: impl Into<String>, detail: impl Into<String>) -> HighsError {
    HighsError {
        call: call.into(),
        detail: detail.into(),
    }
}

/// `Ok` for HiGHS's ok and warning statuses, an error for its error status.
fn check(status: HighsInt, call: impl FnOnce() -> String) -> Result<(), HighsError> {
    if status == STATUS_ERROR {
        Err(error(call(), "error status"))
    } else {
        Ok(())
    }
}

/// HiGHS's model status after a run (`kHighsModelStatus`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModelStatus {
    Optimal,
    Infeasible,
    UnboundedOrInfeasible,
    Unbounded,
    TimeLimit,
    IterationLimit,
    Interrupted,
    /// Empty model (no columns and rows): optimal at the offset.
    Empty,
    /// Any other status, by its number (an error of the load, presolve, solve or
    /// postsolve, a memory limit, ...).
    Other(i32),
}

impl ModelStatus {
    fn from_code(code: HighsInt) -> ModelStatus {
        match code {
            6 => ModelStatus::Empty,
            7 => ModelStatus::Optimal,
            8 => ModelStatus::Infeasible,
            9 => ModelStatus::UnboundedOrInfeasible,
            10 => ModelStatus::Unbounded,
            13 => ModelStatus::TimeLimit,
            14 => ModelStatus::IterationLimit,
            17 | 19 => ModelStatus::Interrupted,
            other => ModelStatus::Other(other),
        }
    }
}

/// A model to hand to HiGHS in one call: minimise `cost`, rows given row-wise (`start[r]`
/// is where row r's entries begin in `index`/`value`).
pub struct ModelData<'a> {
    pub cost: &'a [f64],
    pub col_lower: &'a [f64],
    pub col_upper: &'a [f64],
    pub row_lower: &'a [f64],
    pub row_upper: &'a [f64],
    pub start: &'a [i32],
    pub index: &'a [i32],
    pub value: &'a [f64],
    /// Which columns are integer; `None`: none is.
    pub integer: Option<&'a [bool]>,
}

/// One HiGHS instance: its model, options and last solution. Not `Send`: each thread
/// keeps its own.
pub struct Highs {
    ptr: NonNull<c_void>,
}

impl Drop for Highs {
    fn drop(&mut self) {
        // SAFETY: `ptr` came from Highs_create and is destroyed once, here.
        unsafe { ffi::Highs_destroy(self.ptr.as_ptr()) }
    }
}

fn c_name(name: &str) -> Result<CString, HighsError> {
    CString::new(name).map_err(|_| error(format!("name {name:?}"), "holds a NUL byte"))
}

fn index(i: usize, what: &str) -> Result<HighsInt, HighsError> {
    HighsInt::try_from(i).map_err(|_| error(what.to_string(), format!("{i} is past HiGHS's range")))
}

impl Highs {
    /// A new, silent instance.
    pub fn new() -> Result<Highs, HighsError> {
        // SAFETY: Highs_create takes nothing and returns an instance or null.
        let ptr = unsafe { ffi::Highs_create() };
        let mut highs = Highs {
            ptr: NonNull::new(ptr).ok_or_else(|| error("Highs_create", "returned null"))?,
        };
        highs.set_bool_option(c"output_flag", false)?;
        Ok(highs)
    }

    fn raw(&self) -> *mut c_void {
        self.ptr.as_ptr()
    }

    pub fn set_bool_option(&mut self, name: &CStr, value: bool) -> Result<(), HighsError> {
        // SAFETY: a live instance and a NUL-terminated name.
        let status = unsafe {
            ffi::Highs_setBoolOptionValue(self.raw(), name.as_ptr(), HighsInt::from(value))
        };
        check(status, || format!("Highs_setBoolOptionValue({name:?})"))
    }

    pub fn set_int_option(&mut self, name: &CStr, value: i32) -> Result<(), HighsError> {
        // SAFETY: as above.
        let status = unsafe { ffi::Highs_setIntOptionValue(self.raw(), name.as_ptr(), value) };
        check(status, || {
            format!("Highs_setIntOptionValue({name:?}, {value})")
        })
    }

    pub fn set_double_option(&mut self, name: &CStr, value: f64) -> Result<(), HighsError> {
        // SAFETY: as above.
        let status = unsafe { ffi::Highs_setDoubleOptionValue(self.raw(), name.as_ptr(), value) };
        check(status, || {
            format!("Highs_setDoubleOptionValue({name:?}, {value})")
        })
    }

    /// Replaces the model. Every array is checked against the sizes it must have first.
    pub fn pass_model(&mut self, model: &ModelData<'_>) -> Result<(), HighsError> {
        let (n, m, nz) = (model.cost.len(), model.start.len(), model.index.len());
        let bad = |detail: String| Err(error("Highs_passModel", detail));
        if model.col_lower.len() != n || model.col_upper.len() != n {
            return bad(format!("{n} costs but other column bound counts"));
        }
        if model.row_lower.len() != m || model.row_upper.len() != m {
            return bad(format!("{m} row starts but other row bound counts"));
        }
        if model.value.len() != nz {
            return bad(format!("{nz} indices but {} values", model.value.len()));
        }
        if model.integer.is_some_and(|i| i.len() != n) {
            return bad(format!("{n} columns but another integrality count"));
        }
        let starts_ok = model.start.windows(2).all(|w| w[0] <= w[1])
            && model.start.first().is_none_or(|&s| s == 0)
            && model.start.last().is_none_or(|&s| s as usize <= nz);
        if !starts_ok {
            return bad("row starts out of order".into());
        }
        if model.index.iter().any(|&c| c < 0 || c as usize >= n) {
            return bad("a column index out of range".into());
        }
        let integrality: Option<Vec<HighsInt>> = model
            .integer
            .map(|i| i.iter().map(|&b| HighsInt::from(b)).collect());
        // SAFETY: every array has the length HiGHS is told (checked above); HiGHS copies
        // them; null arrays are the absent Hessian and, with no integer column, integrality.
        let status = unsafe {
            ffi::Highs_passModel(
                self.raw(),
                index(n, "columns")?,
                index(m, "rows")?,
                index(nz, "non-zeros")?,
                0,
                MATRIX_ROWWISE,
                0,
                SENSE_MINIMIZE,
                0.0,
                model.cost.as_ptr(),
                model.col_lower.as_ptr(),
                model.col_upper.as_ptr(),
                model.row_lower.as_ptr(),
                model.row_upper.as_ptr(),
                model.start.as_ptr(),
                model.index.as_ptr(),
                model.value.as_ptr(),
                std::ptr::null(),
                std::ptr::null(),
                std::ptr::null(),
                integrality
                    .as_ref()
                    .map_or(std::ptr::null(), |i| i.as_ptr()),
            )
        };
        check(status, || "Highs_passModel".into())
    }

    /// Reads a model file (MPS or LP, by its extension).
    pub fn read_model(&mut self, path: &Path) -> Result<(), HighsError> {
        let name = c_name(&path.to_string_lossy())?;
        // SAFETY: a live instance and a NUL-terminated file name.
        let status = unsafe { ffi::Highs_readModel(self.raw(), name.as_ptr()) };
        check(status, || format!("Highs_readModel({})", path.display()))
    }

    pub fn num_columns(&self) -> usize {
        // SAFETY: a live instance.
        unsafe { ffi::Highs_getNumCol(self.raw()) }.max(0) as usize
    }

    /// The index of the column named `name`.
    pub fn column_by_name(&self, name: &str) -> Result<usize, HighsError> {
        let name_c = c_name(name)?;
        let mut col: HighsInt = -1;
        // SAFETY: a live instance, a NUL-terminated name, and a place for the index.
        let status = unsafe { ffi::Highs_getColByName(self.raw(), name_c.as_ptr(), &mut col) };
        check(status, || format!("Highs_getColByName({name:?})"))?;
        usize::try_from(col)
            .map_err(|_| error(format!("Highs_getColByName({name:?})"), "no such column"))
    }

    pub fn change_column_cost(&mut self, col: usize, cost: f64) -> Result<(), HighsError> {
        let c = index(col, "column")?;
        // SAFETY: a live instance; HiGHS checks the index.
        let status = unsafe { ffi::Highs_changeColCost(self.raw(), c, cost) };
        check(status, || format!("Highs_changeColCost({col})"))
    }

    pub fn change_column_bounds(
        &mut self,
        col: usize,
        lower: f64,
        upper: f64,
    ) -> Result<(), HighsError> {
        let c = index(col, "column")?;
        // SAFETY: a live instance; HiGHS checks the index.
        let status = unsafe { ffi::Highs_changeColBounds(self.raw(), c, lower, upper) };
        check(status, || {
            format!("Highs_changeColBounds({col}, {lower}, {upper})")
        })
    }

    /// Sets the bounds of the columns `set` (ascending, no repeats): `bounds[i]` for
    /// column `set[i]`.
    pub fn change_columns_bounds(
        &mut self,
        set: &[usize],
        bounds: &[(f64, f64)],
    ) -> Result<(), HighsError> {
        if set.len() != bounds.len() {
            return Err(error(
                "Highs_changeColsBoundsBySet",
                format!("{} columns but {} bounds", set.len(), bounds.len()),
            ));
        }
        if set.is_empty() {
            return Ok(());
        }
        let columns = set
            .iter()
            .map(|&c| index(c, "column"))
            .collect::<Result<Vec<HighsInt>, _>>()?;
        let (lower, upper): (Vec<f64>, Vec<f64>) = bounds.iter().copied().unzip();
        // SAFETY: three arrays of the length HiGHS is told; HiGHS checks the indices.
        let status = unsafe {
            ffi::Highs_changeColsBoundsBySet(
                self.raw(),
                index(set.len(), "set")?,
                columns.as_ptr(),
                lower.as_ptr(),
                upper.as_ptr(),
            )
        };
        check(status, || "Highs_changeColsBoundsBySet".into())
    }

    pub fn change_row_bounds(
        &mut self,
        row: usize,
        lower: f64,
        upper: f64,
    ) -> Result<(), HighsError> {
        let r = index(row, "row")?;
        // SAFETY: a live instance; HiGHS checks the index.
        let status = unsafe { ffi::Highs_changeRowBounds(self.raw(), r, lower, upper) };
        check(status, || {
            format!("Highs_changeRowBounds({row}, {lower}, {upper})")
        })
    }

    /// Forgets the last solution, basis and incumbent (the model stays).
    pub fn clear_solver(&mut self) -> Result<(), HighsError> {
        // SAFETY: a live instance.
        let status = unsafe { ffi::Highs_clearSolver(self.raw()) };
        check(status, || "Highs_clearSolver".into())
    }

    /// Solves the model and returns HiGHS's model status. The clocks are reset first:
    /// HiGHS's time limit is checked against the time its instance has run in all, so an
    /// instance kept between solves would soon stop every run at once.
    pub fn run(&mut self) -> Result<ModelStatus, HighsError> {
        // SAFETY: a live instance.
        let status = unsafe {
            check(ffi::Highs_zeroAllClocks(self.raw()), || {
                "Highs_zeroAllClocks".into()
            })?;
            ffi::Highs_run(self.raw())
        };
        check(status, || "Highs_run".into())?;
        Ok(self.model_status())
    }

    pub fn model_status(&self) -> ModelStatus {
        // SAFETY: a live instance.
        ModelStatus::from_code(unsafe { ffi::Highs_getModelStatus(self.raw()) })
    }

    /// The objective value of the last solution.
    pub fn objective_value(&self) -> f64 {
        // SAFETY: a live instance.
        unsafe { ffi::Highs_getObjectiveValue(self.raw()) }
    }

    pub fn int_info(&self, name: &CStr) -> Result<i32, HighsError> {
        let mut value: HighsInt = 0;
        // SAFETY: a live instance, a NUL-terminated name, and a place for the value.
        let status = unsafe { ffi::Highs_getIntInfoValue(self.raw(), name.as_ptr(), &mut value) };
        check(status, || format!("Highs_getIntInfoValue({name:?})"))?;
        Ok(value)
    }

    pub fn double_info(&self, name: &CStr) -> Result<f64, HighsError> {
        let mut value = 0.0;
        // SAFETY: as above.
        let status =
            unsafe { ffi::Highs_getDoubleInfoValue(self.raw(), name.as_ptr(), &mut value) };
        check(status, || format!("Highs_getDoubleInfoValue({name:?})"))?;
        Ok(value)
    }

    /// Whether the last run left a feasible primal solution (at a time limit, say).
    pub fn has_feasible_solution(&self) -> Result<bool, HighsError> {
        Ok(self.int_info(c"primal_solution_status")? == SOLUTION_FEASIBLE)
    }

    /// The column values of the last solution.
    pub fn column_values(&self) -> Result<Vec<f64>, HighsError> {
        let mut values = vec![0.0; self.num_columns()];
        // SAFETY: `values` has the model's column count; HiGHS skips the null arrays.
        let status = unsafe {
            ffi::Highs_getSolution(
                self.raw(),
                values.as_mut_ptr(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            )
        };
        check(status, || "Highs_getSolution".into())?;
        Ok(values)
    }

    /// The column values and reduced costs of the last solution.
    pub fn column_values_and_duals(&self) -> Result<(Vec<f64>, Vec<f64>), HighsError> {
        let n = self.num_columns();
        let (mut values, mut duals) = (vec![0.0; n], vec![0.0; n]);
        // SAFETY: both arrays have the model's column count; HiGHS skips the null ones.
        let status = unsafe {
            ffi::Highs_getSolution(
                self.raw(),
                values.as_mut_ptr(),
                duals.as_mut_ptr(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            )
        };
        check(status, || "Highs_getSolution".into())?;
        Ok((values, duals))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        (vec![1.0, 2.0], vec![0.0, 0.0], vec![10.0, 10.0])
    }

    /// Minimise x + 2y with x + y >= 2, y integer: x = 2, y = 0.
    #[test]
    fn solves_a_small_mip() {
        let mut highs = Highs::new().unwrap();
        let (cost, lower, upper) = tiny();
        highs
            .pass_model(&ModelData {
                cost: &cost,
                col_lower: &lower,
                col_upper: &upper,
                row_lower: &[2.0],
                row_upper: &[f64::INFINITY],
                start: &[0],
                index: &[0, 1],
                value: &[1.0, 1.0],
                integer: Some(&[false, true]),
            })
            .unwrap();
        assert_eq!(highs.run().unwrap(), ModelStatus::Optimal);
        assert_eq!(highs.column_values().unwrap(), vec![2.0, 0.0]);
        assert_eq!(highs.objective_value(), 2.0);
        highs.change_row_bounds(0, 30.0, f64::INFINITY).unwrap();
        assert_eq!(highs.run().unwrap(), ModelStatus::Infeasible);
    }

    /// HiGHS's error statuses become errors, and arrays of the wrong size never reach it.
    #[test]
    fn errors_are_errors_not_panics() {
        let mut highs = Highs::new().unwrap();
        let err = highs.set_double_option(c"no_such_option", 1.0).unwrap_err();
        assert!(err.call.contains("no_such_option"), "{err}");
        let err = highs.set_int_option(c"threads", -5).unwrap_err();
        assert!(err.to_string().contains("threads"), "{err}");
        // No model: no column 3.
        assert!(highs.change_column_bounds(3, 0.0, 1.0).is_err());
        let (cost, lower, upper) = tiny();
        let short = ModelData {
            cost: &cost,
            col_lower: &lower[..1],
            col_upper: &upper,
            row_lower: &[],
            row_upper: &[],
            start: &[],
            index: &[],
            value: &[],
            integer: None,
        };
        assert!(highs.pass_model(&short).is_err());
        let out_of_range = ModelData {
            cost: &cost,
            col_lower: &lower,
            col_upper: &upper,
            row_lower: &[0.0],
            row_upper: &[1.0],
            start: &[0],
            index: &[7],
            value: &[1.0],
            integer: None,
        };
        assert!(highs.pass_model(&out_of_range).is_err());
        // Lower bound above upper: HiGHS refuses the model itself.
        let crossed = ModelData {
            cost: &cost,
            col_lower: &[5.0, 0.0],
            col_upper: &[1.0, 1.0],
            row_lower: &[],
            row_upper: &[],
            start: &[],
            index: &[],
            value: &[],
            integer: None,
        };
        match highs.pass_model(&crossed) {
            Err(_) => {}
            Ok(()) => assert_eq!(highs.run().unwrap(), ModelStatus::Infeasible),
        }
        let missing = highs.read_model(Path::new("/nonexistent/model.mps"));
        assert!(missing.is_err());
        assert!(highs.column_by_name("nope").is_err());
        assert!(highs.change_columns_bounds(&[0], &[]).is_err());
    }
}
