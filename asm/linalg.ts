// WebAssembly kernels of the dense decompositions (tridiagonal/Hessenberg reduction, QR panels): see src/linalg/.
