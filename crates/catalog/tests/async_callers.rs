//! A catalogue used from async code: the app's commands run on the worker threads of a
//! multi-threaded tokio runtime. On PostgreSQL every call blocks on the client's own runtime (see
//! `db::postgres::outside_async`); without that the first one panics ("Cannot start a runtime from
//! within a runtime"). Runs on the engine the tests run on (`ARGUS_TEST_ENGINE`).

use argus_catalog::fixture::{open_location, test_location};

#[test]
fn a_catalogue_is_opened_read_written_and_closed_in_an_async_task() {
    let dir = tempfile::tempdir().unwrap();
    let location = test_location(dir.path());
    let library = dir.path().to_path_buf();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let task = runtime.spawn(async move {
        let catalog = open_location(&location).unwrap();
        catalog.add_library(&library).unwrap();
        let libraries = catalog.libraries().unwrap().len();
        drop(catalog);
        libraries
    });
    assert_eq!(runtime.block_on(task).unwrap(), 1);
}
