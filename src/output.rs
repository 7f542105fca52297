//! Writing output files whole or not at all: each file goes to a temporary file in the
//! target directory and is renamed into place only once everything is written.

use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
#[error("cannot write {}: {source}", .path.display())]
pub struct WriteError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// Writes every `(file name, bytes)` into `dir` (created if missing). All files are staged
/// first; none is renamed into place unless all were written.
pub fn write_all(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<(), WriteError> {
    let err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| WriteError { path, source }
    };
    std::fs::create_dir_all(dir).map_err(err(dir))?;
    // A target that cannot be replaced by a file is found before anything is renamed.
    for (name, _) in files {
        let target = dir.join(name);
        if target.is_dir() {
            return Err(WriteError {
                path: target,
                source: std::io::Error::new(
                    std::io::ErrorKind::IsADirectory,
                    "a directory is in the way",
                ),
            });
        }
    }
    let mut staged = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let target = dir.join(name);
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix);
        // Results are for sharing: the usual 0644, not a temporary file's 0600.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
        let mut temp = builder.tempfile_in(dir).map_err(err(&target))?;
        temp.write_all(bytes).map_err(err(&target))?;
        temp.as_file().sync_all().map_err(err(&target))?;
        staged.push((temp, target));
    }
    for (temp, target) in staged {
        temp.persist(&target).map_err(|e| WriteError {
            path: target.clone(),
            source: e.error,
        })?;
    }
    Ok(())
}

/// Writes one file atomically.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .ok_or_else(|| WriteError {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file path"),
        })?;
    write_all(&dir, &[(name, bytes.to_vec())])
}
