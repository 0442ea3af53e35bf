fn main() {
    switchboard_lib::run_main()
}
