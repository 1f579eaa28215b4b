from cloudwright.cli import main

main()
