//! Build script: compiles HiGHS from source when the `highs` feature is on (the default).
//!
//! The source is the HiGHS tree that the `highs-sys` package ships, fetched by cargo like any
//! other package: a small manifest depending on that exact version is written to `OUT_DIR`,
//! and `cargo metadata` on it (offline first) gives the package's directory in cargo's
//! registry cache. `highs-sys` itself is never built, so neither its cmake nor its bindgen
//! is needed; `FORCEGEN_HIGHS_SRC` may name a HiGHS source tree instead (vendored or
//! offline builds).
//!
//! The files compiled are those of the `highs` library in HiGHS's own `BUILD.bazel`, with
//! its static `HConfig.h.bazel.in` as the configuration header, compiled by the `cc` crate
//! at `-O2` whatever the profile. The archives are kept in the target directory under a key
//! of the HiGHS version, the target and the compilers (path, flags and version), so that
//! the release build, the test build and clippy compile HiGHS once between them.

use std::process::ExitCode;

fn main() -> ExitCode {
    println!("cargo:rerun-if-changed=src/build.rs");
    for var in [
        "FORCEGEN_HIGHS_SRC",
        "CC",
        "CXX",
        "CFLAGS",
        "CXXFLAGS",
        "AR",
    ] {
        println!("cargo:rerun-if-env-changed={var}");
    }
    #[cfg(feature = "highs")]
    if let Err(message) = highs::build() {
        eprintln!("error: cannot build HiGHS from source: {message}");
        eprintln!(
            "hint: build without HiGHS (microlp only) with `cargo build --no-default-features`, \
             or set FORCEGEN_HIGHS_SRC to a HiGHS {} source tree",
            highs::HIGHS_SYS_VERSION
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// Compiling HiGHS (the `highs` feature).
#[cfg(feature = "highs")]
mod highs {
    use std::collections::hash_map::DefaultHasher;
    use std::env;
    use std::fs;
    use std::hash::{Hash, Hasher};
    use std::path::{Path, PathBuf};
    use std::process::Command;

    /// The `highs-sys` package whose HiGHS source is compiled (HiGHS 1.16.0).
    pub const HIGHS_SYS_VERSION: &str = "1.16.0";
    /// Changes whenever the way HiGHS is compiled here changes, so that kept archives are redone.
    const RECIPE: u32 = 1;

    pub fn build() -> Result<(), String> {
        let out_dir = PathBuf::from(env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?);
        let root = highs_source(&out_dir)?;
        let (c_files, cpp_files) = library_sources(&root)?;

        let (c, cpp) = (
            builder(&root, &out_dir, false),
            builder(&root, &out_dir, true),
        );
        let key = cache_key(&c, &cpp, &out_dir)?;
        let kept = cache_root(&out_dir).join(format!("highs-{HIGHS_SYS_VERSION}-{key:016x}"));
        if !kept.join("done").is_file() {
            compile(&root, &kept, c, cpp, &c_files, &cpp_files)?;
        }

        println!("cargo:rustc-link-search=native={}", kept.display());
        // The C++ library first: it calls into the C parts (basiclu, cupdlp).
        println!("cargo:rustc-link-lib=static=highs");
        println!("cargo:rustc-link-lib=static=highs_c");
        let target = env::var("TARGET").unwrap_or_default();
        if target.contains("apple") || target.contains("freebsd") || target.contains("openbsd") {
            println!("cargo:rustc-link-lib=dylib=c++");
        } else if !target.contains("msvc") {
            println!("cargo:rustc-link-lib=dylib=stdc++");
        }
        if target.contains("linux") {
            for lib in ["m", "pthread", "dl"] {
                println!("cargo:rustc-link-lib=dylib={lib}");
            }
        }
        Ok(())
    }

    /// The HiGHS source tree: `FORCEGEN_HIGHS_SRC`, or the one in the `highs-sys` package.
    fn highs_source(out_dir: &Path) -> Result<PathBuf, String> {
        let root = match env::var_os("FORCEGEN_HIGHS_SRC") {
            Some(dir) => PathBuf::from(dir),
            None => registry_package(out_dir)?.join("HiGHS"),
        };
        if !root.join("BUILD.bazel").is_file() || !root.join("highs").is_dir() {
            return Err(format!(
                "{} is not a HiGHS source tree (no BUILD.bazel and highs/ in it)",
                root.display()
            ));
        }
        Ok(root)
    }

    /// The directory of the `highs-sys` package in cargo's registry cache, downloaded if
    /// absent: `cargo metadata` on a manifest that depends on it.
    fn registry_package(out_dir: &Path) -> Result<PathBuf, String> {
        let helper = out_dir.join("highs-source");
        fs::create_dir_all(helper.join("src")).map_err(|e| format!("{}: {e}", helper.display()))?;
        // Its own `[workspace]`: the helper lives under the target directory, which may be
        // inside a workspace that does not list it.
        let manifest = format!(
            "[package]\nname = \"forcegen-highs-source\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
             publish = false\n\n[dependencies]\nhighs-sys = {{ version = \"={HIGHS_SYS_VERSION}\", \
             default-features = false }}\n\n[workspace]\n"
        );
        let write = |path: PathBuf, text: &str| {
            fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
        };
        write(helper.join("Cargo.toml"), &manifest)?;
        write(helper.join("src/lib.rs"), "")?;

        let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let offline = env::var("CARGO_NET_OFFLINE").is_ok_and(|v| v == "true");
        let mut failures = Vec::new();
        // Offline first: once the package is in cargo's cache, no network is needed.
        for online in [false, true] {
            if online && offline {
                break;
            }
            let mut command = Command::new(&cargo);
            command
                .args(["metadata", "--format-version", "1", "--manifest-path"])
                .arg(helper.join("Cargo.toml"));
            if !online {
                command.arg("--offline");
            }
            let output = command
                .output()
                .map_err(|e| format!("cannot run {}: {e}", Path::new(&cargo).display()))?;
            if output.status.success() {
                return package_dir(&output.stdout);
            }
            failures.push(String::from_utf8_lossy(&output.stderr).trim().to_string());
        }
        Err(format!(
            "cargo could not fetch highs-sys {HIGHS_SYS_VERSION} (the package that ships HiGHS's \
             source): {}",
            failures.last().map(String::as_str).unwrap_or("offline")
        ))
    }

    /// The directory of `highs-sys` in `cargo metadata`'s output.
    fn package_dir(metadata: &[u8]) -> Result<PathBuf, String> {
        let json: serde_json::Value =
            serde_json::from_slice(metadata).map_err(|e| format!("cargo metadata: {e}"))?;
        let packages = json["packages"]
            .as_array()
            .ok_or("cargo metadata: no packages")?;
        let package = packages
            .iter()
            .find(|p| p["name"] == "highs-sys" && p["version"] == HIGHS_SYS_VERSION)
            .ok_or("cargo metadata does not list highs-sys")?;
        let manifest = package["manifest_path"]
            .as_str()
            .ok_or("cargo metadata gives highs-sys no manifest path")?;
        Path::new(manifest)
            .parent()
            .map(Path::to_path_buf)
            .ok_or_else(|| format!("odd manifest path {manifest}"))
    }

    /// The C and the C++ sources of the `highs` library in `BUILD.bazel`: the quoted names and
    /// `dir/*.ext` globs of its `srcs`, read up to its `hdrs`.
    fn library_sources(root: &Path) -> Result<(Vec<PathBuf>, Vec<PathBuf>), String> {
        let bazel = root.join("BUILD.bazel");
        let text = fs::read_to_string(&bazel).map_err(|e| format!("{}: {e}", bazel.display()))?;
        let unexpected =
            |what: &str| format!("{}: {what} (HiGHS's layout changed?)", bazel.display());
        let library = text
            .find("name = \"highs\",")
            .ok_or_else(|| unexpected("no cc_library named highs"))?;
        let rest = &text[library..];
        let srcs = rest
            .find("srcs = ")
            .ok_or_else(|| unexpected("the highs library has no srcs"))?;
        let hdrs = rest
            .find("hdrs = ")
            .filter(|&h| h > srcs)
            .ok_or_else(|| unexpected("the highs library's srcs are not followed by hdrs"))?;
        let (mut c, mut cpp) = (Vec::new(), Vec::new());
        for pattern in rest[srcs..hdrs].split('"').skip(1).step_by(2) {
            let files = match pattern.split_once("/*.") {
                Some((dir, ext)) if !dir.contains('*') && !ext.contains(['*', '/']) => {
                    glob(&root.join(dir), ext)?
                }
                None if !pattern.contains('*') => vec![root.join(pattern)],
                _ => return Err(unexpected(&format!("a source pattern {pattern:?}"))),
            };
            for file in files {
                if file.extension().is_some_and(|e| e == "c") {
                    c.push(file);
                } else {
                    cpp.push(file);
                }
            }
        }
        if cpp.len() < 100 {
            return Err(unexpected(&format!("only {} C++ sources found", cpp.len())));
        }
        Ok((c, cpp))
    }

    /// The files of `dir` ending in `.ext`, sorted.
    fn glob(dir: &Path, ext: &str) -> Result<Vec<PathBuf>, String> {
        let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == ext))
            .collect();
        files.sort();
        Ok(files)
    }

    /// The compiler settings for HiGHS's C (`cpp` false) or C++ files.
    fn builder(root: &Path, out_dir: &Path, cpp: bool) -> cc::Build {
        let mut build = cc::Build::new();
        build
            .cpp(cpp)
            .include(out_dir.join("highs-config"))
            .include(root.join("extern"))
            .include(root.join("extern/catch"))
            .include(root.join("highs"))
            .define("NDEBUG", None)
            .define("CUPDLP_CPU", None)
            // Optimised and without debug information in every profile: a test or clippy
            // build would otherwise compile HiGHS again, unoptimised.
            .opt_level(2)
            .debug(false)
            .warnings(false)
            .extra_warnings(false)
            .cargo_metadata(false)
            .cargo_warnings(false);
        if cpp {
            build.std("c++17");
        }
        let msvc = build.try_get_compiler().is_ok_and(|t| t.is_like_msvc());
        if !msvc {
            // HiGHS's sources warn a lot; none of it is ours to act on.
            build.flag("-w");
        }
        build
    }

    /// A key of what the archives depend on: the HiGHS version, the target, the recipe, and
    /// each compiler's path, flags and version. The flags name this build script's own
    /// `OUT_DIR` (the config header's directory), which differs between a build and a test
    /// build of the same profile (their build scripts differ): it is left out, or the tests
    /// would compile HiGHS a second time.
    fn cache_key(c: &cc::Build, cpp: &cc::Build, out_dir: &Path) -> Result<u64, String> {
        let out_dir = out_dir.to_string_lossy();
        let mut hasher = DefaultHasher::new();
        (
            HIGHS_SYS_VERSION,
            RECIPE,
            env::var("TARGET").unwrap_or_default(),
        )
            .hash(&mut hasher);
        for build in [c, cpp] {
            let tool = build.try_get_compiler().map_err(|e| e.to_string())?;
            tool.path().hash(&mut hasher);
            for arg in tool.args() {
                arg.to_string_lossy()
                    .replace(&*out_dir, "$OUT_DIR")
                    .hash(&mut hasher);
            }
            let version = Command::new(tool.path()).arg("--version").output();
            if let Ok(version) = version {
                version.stdout.hash(&mut hasher);
            }
        }
        Ok(hasher.finish())
    }

    /// Where compiled archives are kept: the target directory (the directory holding the
    /// profile directories), found from `OUT_DIR` = `<target>/[<triple>/]<profile>/build/<pkg>/out`;
    /// `OUT_DIR` itself if the layout is another.
    fn cache_root(out_dir: &Path) -> PathBuf {
        let build = out_dir.ancestors().nth(2);
        match (build, out_dir.ancestors().nth(4)) {
            (Some(build), Some(root)) if build.file_name().is_some_and(|n| n == "build") => {
                root.join("forcegen-highs")
            }
            _ => out_dir.to_path_buf(),
        }
    }

    /// Compiles HiGHS into `kept` (`libhighs.a` and `libhighs_c.a`, then a `done` marker),
    /// by way of a scratch directory renamed into place, so that an interrupted build leaves
    /// nothing that looks finished.
    fn compile(
        root: &Path,
        kept: &Path,
        mut c: cc::Build,
        mut cpp: cc::Build,
        c_files: &[PathBuf],
        cpp_files: &[PathBuf],
    ) -> Result<(), String> {
        let out_dir = PathBuf::from(env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?);
        let config = out_dir.join("highs-config");
        fs::create_dir_all(&config).map_err(|e| format!("{}: {e}", config.display()))?;
        let template = root.join("highs/HConfig.h.bazel.in");
        fs::copy(&template, config.join("HConfig.h"))
            .map_err(|e| format!("{}: {e}", template.display()))?;

        let scratch = kept.with_extension(format!("partial-{}", std::process::id()));
        let _ = fs::remove_dir_all(&scratch);
        fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
        c.files(c_files).out_dir(scratch.join("c"));
        cpp.files(cpp_files).out_dir(scratch.join("cpp"));
        c.try_compile("highs_c").map_err(|e| e.to_string())?;
        cpp.try_compile("highs").map_err(|e| e.to_string())?;
        for (dir, lib) in [("c", "highs_c"), ("cpp", "highs")] {
            let name = archive_name(lib);
            fs::rename(scratch.join(dir).join(&name), scratch.join(&name))
                .map_err(|e| format!("{name}: {e}"))?;
            let _ = fs::remove_dir_all(scratch.join(dir));
        }
        fs::write(scratch.join("done"), HIGHS_SYS_VERSION).map_err(|e| e.to_string())?;
        if fs::rename(&scratch, kept).is_err() {
            // Another build finished first: keep its archives.
            let _ = fs::remove_dir_all(&scratch);
            if !kept.join("done").is_file() {
                return Err(format!("cannot move the archives to {}", kept.display()));
            }
        }
        Ok(())
    }

    fn archive_name(lib: &str) -> String {
        if env::var("TARGET").is_ok_and(|t| t.contains("msvc")) {
            format!("{lib}.lib")
        } else {
            format!("lib{lib}.a")
        }
    }
}
