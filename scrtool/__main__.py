from scrtool.cli import main

main()
