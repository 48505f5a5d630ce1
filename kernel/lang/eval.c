/* eval: to be written. */
