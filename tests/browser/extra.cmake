# Browser tests: Debian's headless Chromium driven by playwright-core (pinned in
# tests/browser/package-lock.json; `npm ci` in tests/browser/ installs it). They open the HTML
# report and the web UI, check for console errors, compare the UI's forecasts with the CLI's and
# save screenshots under <build>/browser/. Skipped (exit 77) without chromium or node_modules.
find_program(ENTENTE_NODE node)
set(_browser_dir ${CMAKE_CURRENT_LIST_DIR})
foreach(_part report ui)
  if(ENTENTE_NODE)
    add_test(NAME browser.${_part}
             COMMAND ${ENTENTE_NODE} ${_browser_dir}/browser.test.mjs --only ${_part}
                     --entente $<TARGET_FILE:entente>
                     --scenario ${CMAKE_SOURCE_DIR}/tests/data/web/talks.yaml
                     --out ${CMAKE_BINARY_DIR}/browser
             WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  else()
    add_test(NAME browser.${_part} COMMAND sh -c "echo 'SKIP: node not found'; exit 77")
  endif()
  set_tests_properties(browser.${_part} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 240 LABELS browser)
endforeach()
